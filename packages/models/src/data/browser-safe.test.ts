import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The main entry must stay browser-safe: nothing reachable from src/index.ts may import a Node
// built-in. Node-only loaders live behind src/data/node.ts (the @heed/models/node entry).
const src = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** Runtime imports of a file: `import type` / `export type` are erased by the compiler and skipped. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/(?:^|\n)\s*(?:import|export)\s+type\s[^;]*;/g, '\n');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map((match) => match[1] ?? match[2]!);
}

function reachable(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (graph.has(file)) continue;
    const specifiers = importsOf(file);
    graph.set(file, specifiers);
    for (const specifier of specifiers) if (specifier.startsWith('.')) queue.push(`${join(dirname(file), specifier)}.ts`);
  }
  return graph;
}

describe('browser safety of @heed/models', () => {
  it('imports no Node built-in from the main entry, and all of them only from the node entry', () => {
    const main = reachable(join(src, 'index.ts'));
    expect(main.has(join(src, 'data', 'cmudict', 'cmudict-g2p.ts'))).toBe(true);
    expect(main.size).toBeGreaterThan(10);
    const offenders = [...main].filter(([, specifiers]) => specifiers.some((specifier) => builtins.has(specifier)));
    expect(offenders.map(([file]) => file.slice(src.length + 1))).toEqual([]);
    const node = reachable(join(src, 'data', 'node.ts'));
    expect([...node].some(([, specifiers]) => specifiers.some((specifier) => builtins.has(specifier)))).toBe(true);
    // The Node-only loaders (data/node.ts, data/**/load-*-node.ts) are not reachable from the main entry.
    expect([...main.keys()].filter((file) => /(?:^|\/)(?:node|load-[a-z0-9-]+-node)\.ts$/.test(file))).toEqual([]);
  });
});
