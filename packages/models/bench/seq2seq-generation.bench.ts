/**
 * 64-token generation with and without the Transformer's key/value cache (wasm backend): a
 * Seq2Seq Transformer [d 128, 2 + 2 layers, 4 heads, FF 512, V 500], batch 4, sources of 24
 * tokens, greedy search through the shared sampler with no end token, so every run decodes
 * exactly 64 steps. With the cache a step projects one position and reads the cached keys and
 * values (and the cross-attention keys and values computed once); without, each step re-runs the
 * decoder over the whole prefix. Run: `pnpm --filter @heed/models bench`.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@heed/backends';
import { bench, describe } from 'vitest';
import { greedySearch } from '../src/samplers/greedy-search';
import { Seq2Seq } from '../src/seq2seq/seq2seq';

await initBackend({ backend: 'wasm' });
const options = { iterations: 3, warmupIterations: 1, time: 0 };
const model = new Seq2Seq({ sourceVocabSize: 500, targetVocabSize: 500, attention: 'transformer', embeddingDim: 128, numLayers: 2, numHeads: 4, intermediateDim: 512, dropout: 0, maxSourceLength: 24, maxTargetLength: 64, seed: 1 });
const sources = Array.from({ length: 4 }, (_, row) => Array.from({ length: 24 }, (_, i) => 4 + ((row * 31 + i * 7) % 490)));

async function generate64(useCache: boolean): Promise<void> {
  const session = model.decoderSession(sources, { useCache });
  try {
    const results = await greedySearch(session, { startTokens: model.config.bosId, maxLength: 64 });
    if (results.some((result) => result.tokens.length !== 64)) throw new Error('expected 64 tokens per row');
  } finally {
    session.dispose();
  }
}

describe(`wasm (${tf.getBackend()})`, () => {
  bench('64 tokens, key/value cache (batch 4)', () => generate64(true), options);
  bench('64 tokens, re-running the prefix (batch 4)', () => generate64(false), options);
});
