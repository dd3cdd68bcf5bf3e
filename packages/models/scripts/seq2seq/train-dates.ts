/**
 * Dates demo run (not a test): trains a small Bahdanau Seq2Seq on the synthetic dates task and
 * reports exact-match accuracy on its test split, plus one alignment as a text heatmap.
 *
 *   tsx scripts/seq2seq/train-dates.ts --minutes 5
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@heed/backends';
import { datesDataset } from '../../src/data/dates/dates-dataset';
import { datesVocabularies } from '../../src/data/vocab/dates-vocabularies';
import { lengthBatches, tokenizerVocabSize } from '../../src/seq2seq/g2p-task';
import { Seq2Seq } from '../../src/seq2seq/seq2seq';
import type { Seq2SeqAttention } from '../../src/seq2seq/seq2seq-config';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1]!);
const minutes = Number(args.get('minutes') ?? 5);
const attention = (args.get('attention') ?? 'bahdanau') as Seq2SeqAttention;
await initBackend({ backend: 'wasm' }); // returns with heed's SIMD kernels ready

const data = datesDataset({ count: 20_000, seed: 0 });
const vocab = datesVocabularies(data.train);
const encode = (list: typeof data.train) => list.map((e) => ({ source: vocab.inputs.encode(e.input).ids, target: vocab.targets.encode(e.target).ids }));
const model = new Seq2Seq({
  sourceVocabSize: tokenizerVocabSize(vocab.inputs),
  targetVocabSize: tokenizerVocabSize(vocab.targets),
  attention,
  embeddingDim: 32,
  encoderUnits: 64,
  dropout: 0,
  maxSourceLength: 40,
  maxTargetLength: 12,
});
const pairs = encode(data.train);
const test = data.test.slice(0, 500);
const optimizer = tf.train.adam(0.005);
const started = Date.now();

async function exactMatch(): Promise<number> {
  const results = await model.generate(encode(test).map((p) => p.source));
  return results.filter((r, i) => vocab.targets.decode(r.tokens) === test[i]!.target).length / test.length;
}

let step = 0;
for (let epoch = 0; Date.now() - started < minutes * 60_000; epoch++) {
  for (const batch of lengthBatches(pairs, 64, epoch + 1)) {
    const loss = optimizer.minimize(() => model.loss(batch.source, batch.target), true)!;
    const value = (await loss.data())[0]!;
    loss.dispose();
    step++;
    if (step % 100 === 0) {
      const accuracy = await exactMatch();
      console.log(`[dates] step ${step} loss ${value.toFixed(4)} test exact match ${(100 * accuracy).toFixed(1)}% after ${((Date.now() - started) / 1000).toFixed(0)} s`);
      if (accuracy >= 0.995) break;
    }
    if (Date.now() - started > minutes * 60_000) break;
  }
  if (step % 100 === 0 && (await exactMatch()) >= 0.995) break;
}
const accuracy = await exactMatch();
console.log(`[dates] final: ${step} steps, ${((Date.now() - started) / 1000).toFixed(0)} s, test exact match ${(100 * accuracy).toFixed(1)}% on ${test.length}`);
const example = test[0]!;
const [result] = await model.generate([vocab.inputs.encode(example.input).ids]);
const inputTokens = vocab.inputs.encode(example.input).tokens;
console.log(`[dates] ${example.input} → ${vocab.targets.decode(result!.tokens)} (alignment, rows = output tokens)`);
const shades = ' .:-=+*#%@';
result!.alignment[0]!.forEach((row, t) => {
  const token = t < result!.tokens.length ? (vocab.targets.idToToken(result!.tokens[t]!) ?? '?') : '</s>';
  console.log(`${token.padStart(4)} ${row.map((w) => shades[Math.min(9, Math.floor(w * 10))]).join('')}`);
});
console.log(`     ${inputTokens.join('')}`);
