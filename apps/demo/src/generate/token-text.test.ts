import { fileURLToPath } from 'node:url';
import { loadGpt2Tokenizer } from '@heed/models';
import { folderSource } from '@heed/models/node';
import { describe, expect, it } from 'vitest';
import { settledText, tokenStrings } from './token-text';

// The byte-level BPE tokenizer of @heed/models' GPT-2 fixture (written by PyTorch's scripts).
const FIXTURE = fileURLToPath(new URL('../../../../packages/models/src/gpt2/__fixtures__/gpt2-lm-f32/', import.meta.url));

describe('token text', () => {
  it('reads each token alone, and holds back a character whose bytes have not all come', async () => {
    const tokenizer = await loadGpt2Tokenizer(folderSource(FIXTURE));
    const text = 'the cat sat on the mat café';
    const ids = tokenizer.tokenizer.encode(text).ids;
    const pieces = tokenStrings(tokenizer, ids);
    expect(pieces.join('')).toBe('the cat sat on the mat caf\uFFFD\uFFFD'); // é is two byte tokens, neither a character alone
    expect(pieces.slice(0, 3)).toEqual(['the', ' cat', ' sat']);
    expect(settledText(tokenizer, ids, true)).toBe(text);
    expect(settledText(tokenizer, ids.slice(0, -1))).toBe('the cat sat on the mat caf'); // é's first byte only: held back
    expect(settledText(tokenizer, ids.slice(0, -1), true)).toBe('the cat sat on the mat caf\uFFFD');
    expect(tokenStrings(tokenizer, [tokenizer.tokenizer.tokenToId('<|endoftext|>')!])).toEqual(['<|endoftext|>']);
  });
});
