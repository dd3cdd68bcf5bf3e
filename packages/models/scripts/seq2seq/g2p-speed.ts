/**
 * Times G2P training steps (real CMUdict length-bucketed batches, Adam, label smoothing 0.1) for a
 * few Seq2Seq configurations on wasm, to pick one that fits `heed train g2p`'s 90-minute budget.
 * Not a test. Run from packages/models:
 *
 *   tsx scripts/seq2seq/g2p-speed.ts [--steps 30] [--threads 2] [--only transformer-256] [--fused-lstm 0] [--profile 1]
 *
 * --profile 1 also prints, per configuration, the kernels of one step by total time (tf.profile).
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend, setFusedLstmEnabled, setSimdThreads } from '@heed/backends';
import { cmudictG2P } from '../../src/data/cmudict/cmudict-g2p';
import { g2pVocabularies } from '../../src/data/vocab/g2p-vocabularies';
import { loadCmudictNode } from '../../src/data/cmudict/load-cmudict-node';
import { g2pPairs, lengthBatches, tokenizerVocabSize } from '../../src/seq2seq/g2p-task';
import { Seq2Seq } from '../../src/seq2seq/seq2seq';
import type { Seq2SeqConfig } from '../../src/seq2seq/seq2seq-config';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1]!);
const steps = Number(args.get('steps') ?? 30);
const batchSize = Number(args.get('batch-size') ?? 128);
const report = await initBackend({ backend: (args.get('backend') as 'wasm' | 'cpu' | undefined) ?? 'wasm' }); // returns with the SIMD kernels ready
if (report.simdKernels) console.log(`simd threads: ${setSimdThreads(Number(args.get('threads') ?? 2))}`);

if (args.get('fused-lstm') === '0') setFusedLstmEnabled(false); // the composite LSTM, for comparison
const data = cmudictG2P(await loadCmudictNode());
const vocabularies = g2pVocabularies(data.train);
const base = { sourceVocabSize: tokenizerVocabSize(vocabularies.graphemes), targetVocabSize: tokenizerVocabSize(vocabularies.phonemes), maxSourceLength: 40, maxTargetLength: 40 };
const configs: Record<string, Partial<Seq2SeqConfig>> = {
  'luong-general-64': { attention: 'luong-general', embeddingDim: 64, encoderUnits: 64, dropout: 0.2 },
  'luong-general-128': { attention: 'luong-general', embeddingDim: 64, encoderUnits: 128, dropout: 0.2 },
  'luong-general-128-2layer': { attention: 'luong-general', embeddingDim: 64, encoderUnits: 128, encoderLayers: 2, dropout: 0.2 },
  'luong-general-256': { attention: 'luong-general', embeddingDim: 128, encoderUnits: 256, dropout: 0.2 },
  'luong-general-128e': { attention: 'luong-general', embeddingDim: 128, encoderUnits: 128, dropout: 0.2 },
  'bahdanau-128': { attention: 'bahdanau', embeddingDim: 64, encoderUnits: 128, dropout: 0.2 },
  'transformer-128': { attention: 'transformer', embeddingDim: 128, numLayers: 2, numHeads: 4, intermediateDim: 512, dropout: 0.1 },
  'transformer-256': { attention: 'transformer', embeddingDim: 256, numLayers: 3, numHeads: 4, intermediateDim: 1024, dropout: 0.1 },
};
const only = args.get('only')?.split(',');
for (const [name, config] of Object.entries(configs)) {
  if (only && !only.includes(name)) continue;
  const model = new Seq2Seq({ ...base, ...config }, { source: vocabularies.graphemes, target: vocabularies.phonemes });
  const pairs = g2pPairs(data.train, model.vocabularies!);
  const batches = lengthBatches(pairs, batchSize, 1);
  const optimizer = tf.train.adam(1e-3);
  const step = (i: number) => {
    const batch = batches[i % batches.length]!;
    tf.dispose(optimizer.minimize(() => model.loss(batch.source, batch.target, { labelSmoothing: 0.1 }), true));
  };
  step(0);
  step(1);
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  for (let i = 2; i < steps + 2; i++) step(i);
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSecondsPerStep = (cpu.user + cpu.system) / 1e6 / steps;
  const stepsPerSecond = steps / seconds;
  console.log(
    JSON.stringify({ name, fusedLstm: args.get('fused-lstm') !== '0', params: model.countParams(), batchSize, stepsPerSecond: +stepsPerSecond.toFixed(2), cpuSecondsPerStep: +cpuSecondsPerStep.toFixed(3), cpuMinutesPerEpoch: +((batches.length * cpuSecondsPerStep) / 60).toFixed(1), minutesPerEpoch: +(batches.length / stepsPerSecond / 60).toFixed(1), tensors: tf.memory().numTensors }),
  );
  if (args.get('profile') === '1') {
    const info = await tf.profile(() => step(steps + 2));
    const byKernel = new Map<string, { ms: number; calls: number }>();
    for (const kernel of info.kernels) {
      const entry = byKernel.get(kernel.name) ?? { ms: 0, calls: 0 };
      entry.ms += Number(kernel.kernelTimeMs) || 0;
      entry.calls++;
      byKernel.set(kernel.name, entry);
    }
    const total = [...byKernel.values()].reduce((sum, { ms }) => sum + ms, 0);
    console.log(`${name}: one step, ${info.kernels.length} kernels, ${total.toFixed(0)} ms of kernel time`);
    for (const [kernel, { ms, calls }] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms).slice(0, 20)) {
      console.log(`  ${kernel.padEnd(28)} ${ms.toFixed(1).padStart(8)} ms ${((100 * ms) / total).toFixed(1).padStart(5)}% ${String(calls).padStart(6)} calls`);
    }
  }
  optimizer.dispose();
  model.dispose();
}
