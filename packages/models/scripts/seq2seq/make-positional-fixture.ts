/**
 * Writes src/seq2seq/__fixtures__/positional-v2/<attention>/: Seq2Seq models saved with the
 * positional names of WeightRegistry.addLayer (`decoder/attention/<index>:kernel`,
 * `encoder/layer_<l>/<index>:kernel`, as heed wrote them up to commit 5dba34f), trained 10 Adam
 * steps on cpu, with the logits and greedy tokens they give. Seq2Seq.load must keep reading them.
 *
 *   pnpm exec tsx scripts/seq2seq/make-positional-fixture.ts   (run at that commit; kept for the record)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Seq2Seq } from '../../src/seq2seq/seq2seq';
import type { Seq2SeqAttention, Seq2SeqConfig } from '../../src/seq2seq/seq2seq-config';

await tf.setBackend('cpu');
const SOURCE = [[4, 5, 6, 7, 8], [9, 10], [11, 4, 5]];
const TARGET = [[2, 4, 5, 6, 3], [2, 7, 3], [2, 8, 8, 3]];
const root = join(import.meta.dirname, '..', '..', 'src', 'seq2seq', '__fixtures__', 'positional-v2');
for (const attention of ['transformer', 'bahdanau', 'local-p'] as Seq2SeqAttention[]) {
  const config: Seq2SeqConfig = { sourceVocabSize: 12, targetVocabSize: 9, attention, embeddingDim: 8, encoderUnits: 8, numLayers: 1, numHeads: 2, intermediateDim: 16, dropout: 0, maxSourceLength: 10, maxTargetLength: 8, seed: 5 };
  const model = new Seq2Seq(config);
  const optimizer = tf.train.adam(0.05);
  for (let i = 0; i < 10; i++) optimizer.minimize(() => model.loss(SOURCE, TARGET));
  optimizer.dispose();
  const dir = join(root, attention);
  mkdirSync(dir, { recursive: true });
  await model.save(`file://${dir}`);
  const { logits, attention: weights } = model.forward(SOURCE, TARGET);
  const greedy = await model.generate(SOURCE);
  writeFileSync(
    join(dir, 'expected.json'),
    JSON.stringify({
      generator: `Seq2Seq (${attention}, positional addLayer names) at commit 5dba34f, trained 10 Adam steps, cpu`,
      source: SOURCE,
      target: TARGET,
      logits: { shape: logits.shape, data: Array.from(await logits.data()) },
      greedy: greedy.map((result) => result.tokens),
    }),
  );
  tf.dispose([logits, weights]);
  model.dispose();
}
