import type * as ChildProcessModule from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import { importNodeOnly } from '@heed/backends';
import type { ModelInputs } from '../data/model-inputs';
import { batchSeed } from '../trainer/seeded-dropout';
import type { ModelWeight, TrainableModel } from '../trainer/trainable-model';
import type { LossFunction } from '../trainer/trainer-types';
import { averageShards, type ShardGradients } from './average-shards';
import { runAsReplica } from './replica-protocol';
import { ReplicaProcess } from './replica-process';
import { labelCount, shardGradients } from './shard-gradients';
import { shardInputs, shardRows, toInputsData, toTensorData } from './shard-tensors';

/**
 * Options of {@link DataParallelReplicas.start}.
 *
 * @example
 * ```ts
 * const options: DataParallelOptions = { replicas: 2, entry: 'src/replica.ts', execArgv: ['--import', 'tsx'], options: { units: 64 } };
 * ```
 */
export interface DataParallelOptions {
  /** Processes in all, this one included (≥ 2). */
  replicas: number;
  /**
   * The script each forked replica runs: a module that calls {@link runReplica} with a function
   * building the same model and loss from `options`.
   */
  entry: string;
  /** Node flags of the replicas (e.g. `['--import', 'tsx']` for a TypeScript entry). Default none. */
  execArgv?: readonly string[];
  /** Passed to the entry's build function (structured-clonable: plain data, typed arrays). Default `{}`. */
  options?: unknown;
  /** Extra environment of the replicas (`HEED_SIMD_THREADS=1` is always set). */
  env?: Readonly<Record<string, string>>;
}

/**
 * Synchronous data-parallel training over processes (one per core), for a `Trainer` with
 * `replicas`: this process is replica 0 and forks `replicas − 1` more, each building its own
 * copy of the model. Every step replica 0 deals the batch's rows out in turn (rows `r`,
 * `r + replicas`, …, so each shard of a length-bucketed batch gets the same mix of lengths),
 * sends each replica its shard (with the current weights when they changed), computes its own
 * shard's gradients, and averages all of them weighted by what each shard's loss averages over
 * ({@link labelCount}); the trainer's optimizer then applies that average, which is the gradient of
 * the whole batch's mean loss. There is one optimizer state, the trainer's, so a checkpoint
 * holds it and a resumed run continues it. tfjs in Node runs one core per process (wasm threads
 * are off there); this is how training uses the others.
 *
 * @example
 * ```ts
 * const replicas = await DataParallelReplicas.start({ replicas: 2, entry: 'dist/my-replica.js', options: { config } });
 * const trainer = new Trainer({ model, loss, replicas });
 * try {
 *   await trainer.fit(data, { epochs: 10 });
 * } finally {
 *   await replicas.stop();
 * }
 * // dist/my-replica.js:
 * await runReplica(({ config }) => { const model = build(config); return { model, loss }; });
 * ```
 */
export class DataParallelReplicas {
  private constructor(
    private readonly others: ReplicaProcess[],
    private readonly restore: () => void,
  ) {}

  /** Forks the other replicas and waits until each has built its model. */
  static async start(options: DataParallelOptions): Promise<DataParallelReplicas> {
    const { replicas, entry } = options;
    if (!Number.isInteger(replicas) || replicas < 2) throw new RangeError(`DataParallelReplicas.start: replicas must be an integer ≥ 2; got ${replicas}`);
    const { fork } = await importNodeOnly<typeof ChildProcessModule>('node:child_process');
    const restore = runAsReplica();
    const others: ReplicaProcess[] = [];
    try {
      for (let index = 1; index < replicas; index++) {
        const child = fork(entry, [], {
          execArgv: [...(options.execArgv ?? [])],
          env: { ...process.env, ...options.env, HEED_SIMD_THREADS: '1' },
          serialization: 'advanced',
          stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        });
        const replica = new ReplicaProcess(index, child);
        others.push(replica);
        await replica.send({ type: 'init', options: options.options ?? {}, backend: tf.getBackend(), replica: index, replicas });
      }
      for (const replica of others) await replica.receive('ready');
    } catch (error) {
      await Promise.all(others.map((replica) => replica.stop()));
      restore();
      throw error;
    }
    return new DataParallelReplicas(others, restore);
  }

  /** Number of replicas, this process included. */
  get size(): number {
    return this.others.length + 1;
  }

  /**
   * @internal One batch's gradients over all replicas: the `count`-weighted mean loss and one
   * gradient tensor per trainable weight (named by weight, owned by the caller). `sendWeights`:
   * the replicas' copies are stale (first step, after an update or a load). `seed`: the dropout
   * seed of the batch (replica r ≥ 1 draws from a seed mixed from it and r), or none.
   */
  async gradients(step: { model: TrainableModel<ModelInputs>; loss: LossFunction; inputs: ModelInputs; labels: tf.Tensor; padId: number | undefined; seed: number | undefined; sendWeights: boolean }): Promise<{ loss: number; grads: tf.NamedTensorMap }> {
    const { model, inputs, labels, padId, seed } = step;
    const size = this.size;
    const weights = step.sendWeights ? await weightsData(model.weights) : undefined;
    const counts: number[] = [];
    let own: { inputs: ModelInputs; labels: tf.Tensor } | undefined;
    for (let replica = 0; replica < size; replica++) {
      const shardLabels = shardRows(labels, replica, size);
      const shardInputsOf = shardLabels && shardInputs(inputs, replica, size);
      counts.push(shardLabels ? await labelCount(shardLabels, padId) : 0);
      if (replica === 0 && shardLabels && shardInputsOf) {
        own = { inputs: shardInputsOf, labels: shardLabels };
        continue;
      }
      const message = shardLabels && shardInputsOf ? { inputs: await toInputsData(shardInputsOf), labels: await toTensorData(shardLabels) } : {};
      shardLabels?.dispose();
      if (shardInputsOf) tf.dispose(shardInputsOf as tf.TensorContainer);
      if (replica > 0) {
        const shardSeed = seed === undefined ? {} : { seed: batchSeed(seed, replica, size) };
        await this.others[replica - 1]!.send({ type: 'step', ...message, ...shardSeed, ...(weights ? { weights } : {}) });
      }
    }
    const trainable = model.weights.filter((weight) => weight.trainable);
    const shards: ShardGradients[] = [];
    try {
      shards.push(own ? shardGradients(model, step.loss, own.inputs, own.labels, counts[0]!, seed) : { grads: trainable.map(() => null), count: 0, loss: 0 });
    } finally {
      if (own) tf.dispose([own.inputs, own.labels] as tf.TensorContainer);
    }
    for (const [index, replica] of this.others.entries()) {
      const { grads, loss } = await replica.receive('grads');
      shards.push({ grads, loss, count: counts[index + 1]! });
    }
    const average = averageShards(shards);
    const grads: tf.NamedTensorMap = {};
    trainable.forEach((weight, i) => {
      const grad = average.grads[i];
      grads[weight.name] = grad ? tf.tensor(grad, weight.variable.shape, 'float32') : tf.zerosLike(weight.variable);
    });
    return { loss: average.loss, grads };
  }

  /** Stops the other replicas and restores this process's kernel settings. */
  async stop(): Promise<void> {
    await Promise.all(this.others.map((replica) => replica.stop()));
    this.restore();
  }
}

/** Every weight's values by name, read out of the backend. */
async function weightsData(weights: readonly ModelWeight[]): Promise<Record<string, Float32Array>> {
  const entries = await Promise.all(weights.map(async (weight) => [weight.name, Float32Array.from((await weight.variable.data()) as Float32Array)] as const));
  return Object.fromEntries(entries);
}
