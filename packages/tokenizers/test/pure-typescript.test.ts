// The library must run in browsers: no Node built-ins, no tfjs, no other @heed package in src/.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SOURCE = join(import.meta.dirname, '..', 'src');

function libraryFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === '__fixtures__' ? [] : libraryFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('pure TypeScript', () => {
  it('src/ (tests and fixtures aside) imports only its own modules', () => {
    const files = libraryFiles(SOURCE);
    expect(files.length).toBeGreaterThan(30);
    for (const file of files) {
      const specifiers = [...readFileSync(file, 'utf8').matchAll(/(?:import|export)[^'"]*?from\s+'([^']+)'/g)].map((match) => match[1]!);
      for (const specifier of specifiers) expect({ file, specifier }).toEqual({ file, specifier: expect.stringMatching(/^\.\.?\//) });
      expect(readFileSync(file, 'utf8')).not.toMatch(/\b(?:require\(|process\.|Buffer\b|__dirname)/);
    }
  });
});
