// Data-parallel training over forked processes: the same updates as one process on whole batches
// (up to float rounding), an exact resume, and checkpoints of heed ≤ 0.1 (positional names).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@heed/backends';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobs, mlp, readWeights } from '../__fixtures__/tiny-problem';
import { sparseCategoricalCrossEntropy } from '../losses/sparse-categorical-cross-entropy';
import { adam } from '../optimizers/adam';
import { constantSchedule } from '../schedules/constant-schedule';
import { fromVariables } from '../trainer/trainable-model';
import { Trainer } from '../trainer/trainer';
import type { TrainerConfig } from '../trainer/trainer-types';
import { averageShards } from './average-shards';
import { DataParallelReplicas } from './data-parallel-replicas';
import { labelCount, shardGradients } from './shard-gradients';
import { shardRows } from './shard-tensors';

const entry = fileURLToPath(new URL('../__fixtures__/mlp-replica.mjs', import.meta.url));
const loss = (labels: tf.Tensor, logits: tf.Tensor) => sparseCategoricalCrossEntropy(labels, logits);
const data = blobs(90);
let directory: string;
let replicas: DataParallelReplicas;

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  directory = await mkdtemp(join(tmpdir(), 'heed-data-parallel-'));
  replicas = await DataParallelReplicas.start({ replicas: 2, entry, options: { hidden: 8, dropout: 0 } });
}, 60_000);
afterAll(async () => {
  await replicas?.stop();
  await rm(directory, { recursive: true, force: true });
});

/** A 1-hidden-layer MLP with dropout, as the replica fixture builds it. */
function dropoutMlp(dropout: number) {
  const base = mlp();
  const [hiddenWeight, hiddenBias, outputWeight, outputBias] = base.variables as [tf.Variable, tf.Variable, tf.Variable, tf.Variable];
  return fromVariables({ hiddenWeight, hiddenBias, outputWeight, outputBias }, (inputs, training) =>
    tf.tidy(() => {
      const hidden = tf.tanh(inputs.matMul(hiddenWeight).add(hiddenBias));
      return (training && dropout > 0 ? tf.dropout(hidden, dropout) : hidden).matMul(outputWeight).add(outputBias);
    }),
  );
}

const trainer = (overrides: Partial<TrainerConfig> = {}) => new Trainer({ model: mlp(), loss, optimizer: adam(), schedule: constantSchedule(0.05), seed: 5, ...overrides });

const maxAbsDiff = (a: readonly number[][], b: readonly number[][]) => Math.max(...a.map((row, i) => Math.max(...row.map((value, j) => Math.abs(value - b[i]![j]!)))));

describe('averageShards', () => {
  it('is the gradient of the whole batch: the count-weighted mean of the shards’ gradients', async () => {
    const model = mlp();
    const x = tf.tensor2d(data.x.slice(0, 7));
    const y = tf.tensor1d(data.y.slice(0, 7), 'int32');
    const whole = shardGradients(model, loss, x, y, 7, undefined);
    const shards = [0, 1, 2].map((replica) => {
      const [xs, ys] = [shardRows(x, replica, 3)!, shardRows(y, replica, 3)!];
      const shard = shardGradients(model, loss, xs, ys, ys.shape[0]!, undefined);
      tf.dispose([xs, ys]);
      return shard;
    });
    expect(shards.map((shard) => shard.count)).toEqual([3, 2, 2]); // unequal shards: the weighting matters
    const average = averageShards(shards);
    expect(average.loss).toBeCloseTo(whole.loss, 6);
    whole.grads.forEach((grad, i) => Array.from(grad!).forEach((value, j) => expect(average.grads[i]![j]).toBeCloseTo(value, 6)));
    const unweighted = averageShards(shards.map((shard) => ({ ...shard, count: 1 })));
    expect(Math.abs(unweighted.grads[0]![0]! - whole.grads[0]![0]!) + Math.abs(unweighted.loss - whole.loss)).toBeGreaterThan(1e-4);
    tf.dispose([x, y, ...model.variables]);
  });

  it('skips empty shards and weights without a gradient, and refuses shards that disagree', () => {
    const a = { grads: [Float32Array.of(1, 2), null], count: 3, loss: 1 };
    const b = { grads: [Float32Array.of(5, 6), null], count: 1, loss: 3 };
    const average = averageShards([a, { grads: [null, null], count: 0, loss: 0 }, b]);
    expect(Array.from(average.grads[0]!)).toEqual([2, 3]);
    expect(average.grads[1]).toBeNull();
    expect(average.loss).toBeCloseTo(1.5, 12);
    expect(() => averageShards([a, { ...b, grads: [Float32Array.of(1), null] }])).toThrow(/gradient 0 has 1 values in one shard and 2 in another/);
  });

  it('labelCount counts the labels a padded loss averages over, or the examples', async () => {
    const labels = tf.tensor2d([[5, 6, 0], [7, 0, 0]], undefined, 'int32');
    expect(await labelCount(labels, 0)).toBe(3);
    expect(await labelCount(labels)).toBe(2);
    labels.dispose();
  });
});

describe('Trainer with DataParallelReplicas', () => {
  it('trains over two processes like one process on whole batches, without leaking tensors', async () => {
    const single = trainer();
    const parallel = trainer({ replicas });
    const losses: [number[], number[]] = [[], []];
    await single.fit(data, { epochs: 2, batchSize: 16, callbacks: [{ onBatchEnd: (logs) => void losses[0].push(logs.loss) }] });
    const tensors: number[] = [];
    await parallel.fit(data, { epochs: 2, batchSize: 16, callbacks: [{ onBatchEnd: (logs) => void (losses[1].push(logs.loss), tensors.push(tf.memory().numTensors)) }] });
    expect(new Set(tensors.slice(1)).size).toBe(1); // after Adam made its slots in step 1, no step leaves a tensor behind
    expect(losses[1]).toHaveLength(12);
    losses[1].forEach((value, i) => expect(value).toBeCloseTo(losses[0][i]!, 5));
    expect(maxAbsDiff(await readWeights(parallel.model), await readWeights(single.model))).toBeLessThan(1e-5);
    expect(maxAbsDiff(await readWeights(parallel.model), await readWeights(mlp()))).toBeGreaterThan(1e-2); // it did train
    expect(parallel.state.step).toBe(12);
  }, 60_000);

  it('a run interrupted and resumed from its checkpoint ends with the weights and Adam state of the uninterrupted run, dropout included', async () => {
    const withDropout = await DataParallelReplicas.start({ replicas: 2, entry, options: { hidden: 8, dropout: 0.3 } });
    try {
      const config = { replicas: withDropout, model: dropoutMlp(0.3) };
      const whole = trainer(config);
      await whole.fit(data, { epochs: 3, batchSize: 16 });
      const first = trainer({ replicas: withDropout, model: dropoutMlp(0.3) });
      await first.fit(data, { epochs: 1, batchSize: 16 });
      await first.save(`file://${directory}/resume`);
      const resumed = trainer({ replicas: withDropout, model: dropoutMlp(0.3) });
      await resumed.load(`file://${directory}/resume`);
      await resumed.fit(data, { epochs: 3, batchSize: 16 });
      expect(resumed.state).toEqual(whole.state);
      expect(await readWeights(resumed.model)).toEqual(await readWeights(whole.model)); // bit for bit
      const slots = async (instance: Trainer) => Object.fromEntries(await Promise.all(Object.entries(await instance.optimizer.slots(instance.model.weights.filter((weight) => weight.trainable))).map(async ([name, tensor]) => [name, Array.from(await tensor.data())] as const)));
      expect(await slots(resumed)).toEqual(await slots(whole));
      // Dropout on: the replicas' masks differ from one process's, but they are seeded, so the run is reproducible.
      const again = trainer({ replicas: withDropout, model: dropoutMlp(0.3) });
      await again.fit(data, { epochs: 3, batchSize: 16 });
      expect(await readWeights(again.model)).toEqual(await readWeights(whole.model));
    } finally {
      await withDropout.stop();
    }
  }, 60_000);

  it('refuses fewer than 2 replicas and names a replica that fails', async () => {
    await expect(DataParallelReplicas.start({ replicas: 1, entry })).rejects.toThrow('DataParallelReplicas.start: replicas must be an integer ≥ 2; got 1');
    const wrong = await DataParallelReplicas.start({ replicas: 2, entry, options: { hidden: 4, dropout: 0 } }); // another architecture than replica 0's
    try {
      await expect(trainer({ replicas: wrong }).fit(data, { epochs: 1, batchSize: 16 })).rejects.toThrow(/data-parallel replica 1 failed: .*replica 0 sent 16 values for weight hiddenWeight, but this replica.s has shape \[2,4\] \(8\)/);
    } finally {
      await wrong.stop();
    }
  }, 60_000);
});

describe('a replica whose parent goes away', () => {
  // Ctrl+C of a data-parallel run reaches the whole process group: replica 0 dies at once, and a
  // replica still computing then wrote an EPIPE stack to the terminal. It must end quietly,
  // Ctrl+C or not, once replica 0 is gone.
  it.each([['while it computes a gradient', false], ['after Ctrl+C', true]])('ends with code 0 and prints nothing, %s', async (_, interrupt) => {
    const child = fork(entry, [], { serialization: 'advanced', stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += String(chunk)));
    child.stderr!.on('data', (chunk) => (output += String(chunk)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const ready = new Promise<void>((resolve) => child.once('message', () => resolve()));
    child.send({ type: 'init', options: { hidden: 8, dropout: 0 }, backend: 'wasm', replica: 1, replicas: 2 }); // wasm: the cpu backend prints tfjs' banner
    await ready;
    if (interrupt) child.kill('SIGINT');
    const x = Float32Array.from(data.x.flat());
    child.send({ type: 'step', inputs: { values: x, shape: [data.x.length, 2], dtype: 'float32' }, labels: { values: Int32Array.from(data.y), shape: [data.y.length], dtype: 'int32' } }, () => child.disconnect()); // gone before the gradients come back
    const code = await exited;
    expect(output).toBe('');
    expect(code).toBe(0);
  }, 60_000);
});
