import { fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@heed/backends';
import { cmudictG2P, g2pPairs, g2pVocabularies, lengthBatches, Seq2Seq, tokenizerVocabSize, type IdPair } from '@heed/models';
import { loadCmudictNode } from '@heed/models/node';
import { averageShards, G2PReplicas, shardBatch, shardGradients } from './g2p-data-parallel';

let pairs: IdPair[];
let vocabularies: ReturnType<typeof g2pVocabularies>;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  const data = cmudictG2P(await loadCmudictNode());
  vocabularies = g2pVocabularies(data.train);
  pairs = g2pPairs(data.train.slice(0, 600), { source: vocabularies.graphemes, target: vocabularies.phonemes });
}, 120_000);

/** A small model without dropout, so a shard's gradient is a deterministic function of the weights. */
function tinyModel(): Seq2Seq {
  return new Seq2Seq(
    { sourceVocabSize: tokenizerVocabSize(vocabularies.graphemes), targetVocabSize: tokenizerVocabSize(vocabularies.phonemes), attention: 'luong-general', embeddingDim: 8, encoderUnits: 8, dropout: 0, maxSourceLength: 40, maxTargetLength: 40 },
    { source: vocabularies.graphemes, target: vocabularies.phonemes },
  );
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
};

describe('shardBatch', () => {
  it('deals the rows of a batch out in turn, keeping source and target rows together', () => {
    const batch = { source: [[1], [2], [3], [4], [5]], target: [[11], [12], [13], [14], [15]] };
    expect(shardBatch(batch, 0, 2)).toEqual({ source: [[1], [3], [5]], target: [[11], [13], [15]] });
    expect(shardBatch(batch, 1, 2)).toEqual({ source: [[2], [4]], target: [[12], [14]] });
    expect(shardBatch(batch, 2, 3)).toEqual({ source: [[3]], target: [[13]] });
  });
});

describe('averageShards', () => {
  it('gives the gradient of the whole batch: the token-weighted mean of the shards’ gradients on real CMUdict rows', () => {
    const model = tinyModel();
    try {
      const batch = lengthBatches(pairs, 48, 3)[0]!;
      const whole = shardGradients(model, batch, 0.1);
      const shards = [0, 1, 2].map((replica) => shardGradients(model, shardBatch(batch, replica, 3), 0.1));
      expect(shards.map((shard) => shard.tokens).reduce((a, b) => a + b)).toBe(whole.tokens);
      expect(new Set(shards.map((shard) => shard.tokens)).size).toBeGreaterThan(1); // unequal shards: the weighting matters
      const average = averageShards(shards);
      expect(average.loss).toBeCloseTo(whole.loss, 5);
      const scale = Math.max(...whole.grads.map((grad) => maxAbsDiff(grad!, new Float32Array(grad!.length))));
      whole.grads.forEach((grad, i) => expect(maxAbsDiff(average.grads[i]!, grad!)).toBeLessThan(1e-5 * Math.max(1, scale)));
      // The unweighted mean is measurably different, so the test can tell the two apart.
      const unweighted = averageShards(shards.map((shard) => ({ ...shard, tokens: 1 })));
      expect(Math.max(...whole.grads.map((grad, i) => maxAbsDiff(unweighted.grads[i]!, grad!)))).toBeGreaterThan(1e-4 * scale);
    } finally {
      model.dispose();
    }
  });

  it('skips empty shards and variables without a gradient', () => {
    const a = { grads: [Float32Array.of(1, 2), null], tokens: 3, loss: 1 };
    const b = { grads: [Float32Array.of(5, 6), null], tokens: 1, loss: 3 };
    const empty = { grads: [null, null], tokens: 0, loss: 0 };
    const average = averageShards([a, empty, b]);
    expect(Array.from(average.grads[0]!)).toEqual([2, 3]);
    expect(average.grads[1]).toBeNull();
    expect(average.loss).toBeCloseTo(1.5, 12);
    expect(() => averageShards([a, { ...b, grads: [Float32Array.of(1), null] }])).toThrow(/gradient 0 has 1 values in one shard and 2 in another/);
  });
});

describe('G2PReplicas', () => {
  it('trains across two processes like one process on whole batches, every copy bit-identical, without leaking tensors', async () => {
    const model = tinyModel();
    const single = await Seq2Seq.load({ load: async () => (await captureArtifacts(model))! });
    const optimizer = tf.train.adam(0.01);
    const reference = tf.train.adam(0.01);
    const group = await G2PReplicas.start({ replicas: 2, model, optimizer, pairs, batchSize: 64, labelSmoothing: 0.1, scratchDir: join(mkdtempSync(join(tmpdir(), 'heed-replicas-')), 'start') });
    try {
      const batches = await group.epoch(7);
      expect(batches).toEqual(lengthBatches(pairs, 64, 7));
      let before = 0;
      for (let index = 0; index < 4; index++) {
        if (index === 1) before = tf.memory().numTensors; // after both Adams made their slots
        const loss = await group.step(index, 0.01);
        const expected = reference.minimize(() => single.loss(batches[index]!.source, batches[index]!.target, { labelSmoothing: 0.1 }), true)!;
        expect(loss).toBeCloseTo(expected.dataSync()[0]!, 4);
        expected.dispose();
      }
      expect(tf.memory().numTensors).toBe(before);
      const [own, other] = await group.weights();
      const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
      own!.forEach((values, i) => expect(bytes(other![i]!).equals(bytes(values))).toBe(true));
      const singleWeights = single.trainableVariables.map((variable) => variable.dataSync());
      own!.forEach((values, i) => expect(maxAbsDiff(values, singleWeights[i]!)).toBeLessThan(1e-4));
      expect(maxAbsDiff(own![0]!, (await captureWeights(tinyModel()))[0]!)).toBeGreaterThan(1e-3); // it did train
    } finally {
      await group.stop();
      optimizer.dispose();
      reference.dispose();
      model.dispose();
      single.dispose();
    }
  }, 120_000);
});

describe('a replica whose parent goes away', () => {
  // Ctrl+C of `heed train g2p --workers 2` reaches the whole process group: replica 0 dies at
  // once, and a replica still computing then wrote an EPIPE stack to the terminal. It must end
  // quietly, Ctrl+C or not, once replica 0 is gone.
  it.each([['while it computes a gradient', false], ['after Ctrl+C', true]])('ends with code 0 and prints nothing, %s', async (_, interrupt) => {
    const dir = mkdtempSync(join(tmpdir(), 'heed-replica-'));
    const model = tinyModel();
    await model.save(`file://${dir}`);
    model.dispose();
    const here = new URL('../g2p-replica.ts', import.meta.url);
    const child = fork(fileURLToPath(here), [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += String(chunk)));
    child.stderr!.on('data', (chunk) => (output += String(chunk)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const ready = new Promise<void>((resolve) => child.once('message', () => resolve()));
    child.send({ type: 'init', modelDir: dir, pairs, batchSize: 600, replica: 1, replicas: 2, labelSmoothing: 0.1, backend: 'wasm' });
    await ready;
    if (interrupt) child.kill('SIGINT');
    child.send({ type: 'epoch', seed: 1 });
    child.send({ type: 'step', index: 0 }, () => child.disconnect()); // gone before the gradients come back
    const code = await exited;
    expect(output).toBe('');
    expect(code).toBe(0);
  }, 60_000);
});

async function captureArtifacts(model: Seq2Seq): Promise<tf.io.ModelArtifacts | undefined> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save({ save: async (saved) => ((artifacts = saved), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }) });
  return artifacts;
}

async function captureWeights(model: Seq2Seq): Promise<Float32Array[]> {
  const values = model.trainableVariables.map((variable) => variable.dataSync() as Float32Array);
  model.dispose();
  return values;
}
