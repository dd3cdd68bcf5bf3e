import { fork, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend, isBackendName, setFusedLstmEnabled, setSimdThreads } from '@heed/backends';
import { lengthBatches, Seq2Seq, type IdPair } from '@heed/models';

/** One batch of token-id rows, as {@link lengthBatches} cuts them. */
export interface IdBatch {
  source: number[][];
  target: number[][];
}

/** The gradients of one replica's shard of a batch, in `model.trainableVariables` order. */
export interface ShardGradients {
  /** One array per trainable variable; `null` where the loss does not reach the variable. */
  grads: (Float32Array | null)[];
  /** Target tokens the shard's loss averages over (Σ (target length − 1), the labels). */
  tokens: number;
  /** The shard's mean token loss. */
  loss: number;
}

/**
 * Replica `replica` of `replicas`' rows of a batch: rows `replica`, `replica + replicas`, … (so
 * each shard of a length-bucketed batch gets the same mix of lengths).
 *
 * @example
 * ```ts
 * shardBatch({ source: [[1], [2], [3]], target: [[4], [5], [6]] }, 1, 2); // { source: [[2]], target: [[5]] }
 * ```
 */
export function shardBatch(batch: IdBatch, replica: number, replicas: number): IdBatch {
  const keep = (_: unknown, row: number) => row % replicas === replica;
  return { source: batch.source.filter(keep), target: batch.target.filter(keep) };
}

/**
 * Gradients of `model.loss(shard)` (label smoothing as given) for every trainable variable, copied
 * out of the backend; no tensor is left behind. An empty shard gives `tokens: 0` and no gradients.
 *
 * @example
 * ```ts
 * const own = shardGradients(model, shardBatch(batch, 0, 2), 0.1);
 * ```
 */
export function shardGradients(model: Seq2Seq, shard: IdBatch, labelSmoothing: number): ShardGradients {
  const variables = model.trainableVariables;
  const tokens = shard.target.reduce((sum, row) => sum + Math.max(0, row.length - 1), 0);
  if (tokens === 0) return { grads: variables.map(() => null), tokens: 0, loss: 0 };
  const { value, grads } = tf.variableGrads(() => model.loss(shard.source, shard.target, { labelSmoothing }), variables);
  const arrays = variables.map((variable) => {
    const grad = grads[variable.name];
    return grad ? (grad.dataSync() as Float32Array) : null; // a copy on wasm; the cpu backend's store, which nothing writes to after dispose
  });
  const loss = value.dataSync()[0]!;
  tf.dispose([value, ...Object.values(grads)]);
  return { grads: arrays, tokens, loss };
}

/**
 * The token-weighted mean of the replicas' gradients, which is the gradient of the whole batch's
 * mean token loss. Summed in replica order, so every process that averages the same shards gets
 * the same bits.
 *
 * @example
 * ```ts
 * const { grads, loss } = averageShards([own, ...fromOtherReplicas]);
 * ```
 */
export function averageShards(shards: readonly ShardGradients[]): ShardGradients {
  const tokens = shards.reduce((sum, shard) => sum + shard.tokens, 0);
  const count = Math.max(0, ...shards.map((shard) => shard.grads.length));
  const grads: (Float32Array | null)[] = [];
  for (let i = 0; i < count; i++) {
    let sum: Float32Array | null = null;
    for (const shard of shards) {
      const grad = shard.grads[i];
      if (!grad || shard.tokens === 0) continue;
      if (sum && sum.length !== grad.length) throw new Error(`averageShards: gradient ${i} has ${grad.length} values in one shard and ${sum.length} in another`);
      sum ??= new Float32Array(grad.length);
      const weight = shard.tokens / tokens;
      for (let j = 0; j < grad.length; j++) sum[j]! += weight * grad[j]!;
    }
    grads.push(sum);
  }
  const loss = tokens > 0 ? shards.reduce((sum, shard) => sum + (shard.loss * shard.tokens) / tokens, 0) : 0;
  return { grads, tokens, loss };
}

/** Applies averaged gradients to `model` with `optimizer` (variables without a gradient are left alone). */
function applyGradients(model: Seq2Seq, optimizer: tf.Optimizer, grads: readonly (Float32Array | null)[]): void {
  const variables = model.trainableVariables;
  const named: tf.NamedTensorMap = {};
  variables.forEach((variable, i) => {
    const grad = grads[i];
    if (grad) named[variable.name] = tf.tensor(grad, variable.shape, 'float32');
  });
  optimizer.applyGradients(named);
  tf.dispose(Object.values(named));
}

/**
 * Sets the learning rate of a tfjs optimizer (Adam and the others keep it in a plain field).
 *
 * @example
 * ```ts
 * setLearningRate(optimizer, g2pLearningRate({ peak: 0.003, step, warmupSteps: 300, progress }));
 * ```
 */
export function setLearningRate(optimizer: tf.Optimizer, value: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = value;
}

type ToReplica =
  | { type: 'init'; modelDir: string; pairs: IdPair[]; batchSize: number; replica: number; replicas: number; labelSmoothing: number; backend: string }
  | { type: 'epoch'; seed: number }
  | { type: 'step'; index: number }
  | { type: 'apply'; grads: (Float32Array | null)[]; learningRate: number }
  | { type: 'weights' }
  | { type: 'stop' };

type FromReplica =
  | { type: 'ready' }
  | ({ type: 'grads' } & ShardGradients)
  | { type: 'weights'; values: Float32Array[] }
  | { type: 'error'; message: string };

/**
 * Sets this process up as one replica on one core: the SIMD kernels single-threaded, and the
 * composite LSTM instead of the fused loops. Measured on 2 cores (default model, batch 256 split
 * 2 ways): the fused loops took 0.54 and 0.50 s/step against 0.42 and 0.47 s/step for the
 * composite (two measurements); alone they are faster (3.26 against 2.65 steps/s at batch 128)
 * partly by keeping a second core busy, which a replica does not have. Returns a function that
 * restores the LSTM setting.
 */
function runAsReplica(): () => void {
  setSimdThreads(1);
  const fused = setFusedLstmEnabled(false);
  return () => setFusedLstmEnabled(fused);
}

/** Where the replica entry lives: next to the bundle (dist/g2p-replica.js) or in src/ under tsx. */
function replicaEntry(): { path: string; execArgv: string[] } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return { path: fileURLToPath(new URL('../g2p-replica.ts', here)), execArgv: ['--import', 'tsx'] };
  return { path: fileURLToPath(new URL('./g2p-replica.js', here)), execArgv: [] };
}

/** One forked replica process and a queue of its messages. */
class ReplicaProcess {
  private readonly inbox: FromReplica[] = [];
  private waiting: { resolve: (message: FromReplica) => void; reject: (error: Error) => void } | undefined;
  private exit: Error | undefined;

  constructor(
    readonly index: number,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (message: FromReplica) => {
      if (this.waiting) {
        const { resolve } = this.waiting;
        this.waiting = undefined;
        resolve(message);
      } else this.inbox.push(message);
    });
    child.on('exit', (code, signal) => {
      this.exit = new Error(`heed train g2p: data-parallel replica ${index} exited (${signal ?? `code ${code}`})`);
      this.waiting?.reject(this.exit);
      this.waiting = undefined;
    });
  }

  /**
   * Sends `message`; resolves once it is written. A gradient message is larger than the pipe's
   * buffer, so the rest goes out only while this process's event loop runs: await this before
   * computing, or the replica would wait for the end of that computation.
   */
  async send(message: ToReplica): Promise<void> {
    if (this.exit) throw this.exit;
    await new Promise<void>((resolve, reject) => this.child.send(message, (error) => (error ? reject(error) : resolve())));
  }

  /** The next message, which must be of `type` (an `error` message from the replica throws it). */
  async receive<T extends FromReplica['type']>(type: T): Promise<Extract<FromReplica, { type: T }>> {
    const message =
      this.inbox.shift() ??
      (await new Promise<FromReplica>((resolve, reject) => {
        if (this.exit) reject(this.exit);
        else this.waiting = { resolve, reject };
      }));
    if (message.type === 'error') throw new Error(`heed train g2p: data-parallel replica ${this.index} failed: ${message.message}`);
    if (message.type !== type) throw new Error(`heed train g2p: data-parallel replica ${this.index} sent ${message.type}, expected ${type}`);
    return message as Extract<FromReplica, { type: T }>;
  }

  async stop(): Promise<void> {
    if (this.exit) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'stop' } satisfies ToReplica, () => undefined);
    const timer = setTimeout(() => this.child.kill(), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * Synchronous data-parallel training of one {@link Seq2Seq} over processes (one per core): this
 * process is replica 0 and forks `replicas − 1` more, each with a copy of the model and of Adam.
 * Every step each replica takes its rows of the same batch ({@link shardBatch}), computes their
 * gradients, and replica 0 averages them weighted by tokens ({@link averageShards}) and sends the
 * average back, so all replicas apply the same update and their weights stay bit-identical. tfjs
 * in Node runs one core per process (wasm threads are off there); this is how training uses both.
 *
 * @example
 * ```ts
 * const group = await G2PReplicas.start({ replicas: 2, model, optimizer, pairs, batchSize: 256, labelSmoothing: 0.1, scratchDir: 'out/.replica' });
 * await group.epoch(seed);
 * const loss = await group.step(batches, 0, 0.003);
 * await group.stop();
 * ```
 */
export class G2PReplicas {
  private batches: IdBatch[] = [];

  private constructor(
    private readonly model: Seq2Seq,
    private readonly optimizer: tf.Optimizer,
    private readonly others: ReplicaProcess[],
    private readonly pairs: readonly IdPair[],
    private readonly batchSize: number,
    private readonly labelSmoothing: number,
    private readonly restore: () => void,
  ) {}

  /** Forks the other replicas and hands them the model (through `scratchDir`, removed after) and the training pairs. */
  static async start(options: { replicas: number; model: Seq2Seq; optimizer: tf.Optimizer; pairs: IdPair[]; batchSize: number; labelSmoothing: number; scratchDir: string }): Promise<G2PReplicas> {
    const { replicas, model, optimizer, pairs, batchSize, labelSmoothing, scratchDir } = options;
    if (!Number.isInteger(replicas) || replicas < 2) throw new Error(`G2PReplicas: replicas must be an integer ≥ 2; got ${replicas}`);
    await model.save(`file://${scratchDir}`);
    const restore = runAsReplica();
    const entry = replicaEntry();
    const others: ReplicaProcess[] = [];
    try {
      for (let r = 1; r < replicas; r++) {
        const child = fork(entry.path, [], {
          execArgv: entry.execArgv,
          env: { ...process.env, HEED_SIMD_THREADS: '1' },
          serialization: 'advanced',
          stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        });
        const replica = new ReplicaProcess(r, child);
        others.push(replica);
        await replica.send({ type: 'init', modelDir: scratchDir, pairs, batchSize, replica: r, replicas, labelSmoothing, backend: tf.getBackend() });
      }
      for (const replica of others) await replica.receive('ready');
    } catch (error) {
      await Promise.all(others.map((replica) => replica.stop()));
      restore();
      throw error;
    } finally {
      await rm(scratchDir, { recursive: true, force: true });
    }
    return new G2PReplicas(model, optimizer, others, pairs, batchSize, labelSmoothing, restore);
  }

  /** Number of replicas, this process included. */
  get size(): number {
    return this.others.length + 1;
  }

  /** Starts an epoch: every replica cuts the same {@link lengthBatches} for `seed`; returns them. */
  async epoch(seed: number): Promise<IdBatch[]> {
    await Promise.all(this.others.map((replica) => replica.send({ type: 'epoch', seed })));
    this.batches = lengthBatches(this.pairs, this.batchSize, seed);
    return this.batches;
  }

  /** One synchronous step on batch `index` of the epoch at `learningRate`; returns the batch's mean token loss. */
  async step(index: number, learningRate: number): Promise<number> {
    const batch = this.batches[index];
    if (!batch) throw new Error(`G2PReplicas.step: batch ${index} is outside the epoch's ${this.batches.length} batches`);
    await Promise.all(this.others.map((replica) => replica.send({ type: 'step', index })));
    const own = shardGradients(this.model, shardBatch(batch, 0, this.size), this.labelSmoothing);
    const shards = [own];
    for (const replica of this.others) shards.push(await replica.receive('grads'));
    const average = averageShards(shards);
    await Promise.all(this.others.map((replica) => replica.send({ type: 'apply', grads: average.grads, learningRate })));
    setLearningRate(this.optimizer, learningRate);
    applyGradients(this.model, this.optimizer, average.grads);
    return average.loss;
  }

  /** Every replica's weights (replica 0 first), in `trainableVariables` order: they must all be equal. */
  async weights(): Promise<Float32Array[][]> {
    const own = this.model.trainableVariables.map((variable) => Float32Array.from(variable.dataSync() as Float32Array));
    const all: Float32Array[][] = [own];
    for (const replica of this.others) {
      await replica.send({ type: 'weights' });
      all.push((await replica.receive('weights')).values);
    }
    return all;
  }

  /** Stops the other replicas and restores this process's LSTM setting. */
  async stop(): Promise<void> {
    await Promise.all(this.others.map((replica) => replica.stop()));
    this.restore();
  }
}

/**
 * The body of a forked replica (`dist/g2p-replica.js`): loads the model replica 0 saved, then
 * answers replica 0's messages until `stop`. Errors go back to replica 0 as an `error` message.
 */
export async function runG2PReplica(): Promise<void> {
  // Replica 0 gone (Ctrl+C reaches the whole process group; it dies first): nothing is left to
  // report to, so end quietly instead of throwing EPIPE (an 'error' event with a stack) mid-send.
  const parentGone = () => process.exit(0);
  const send = (message: FromReplica) => {
    if (!process.connected) parentGone();
    process.send!(message, undefined, {}, (error) => error && parentGone());
  };
  process.on('SIGINT', () => undefined); // replica 0 owns Ctrl+C; this one ends when it disconnects
  const queue: ToReplica[] = [];
  let wake: (() => void) | undefined;
  process.on('message', (message: ToReplica) => {
    queue.push(message);
    wake?.();
  });
  process.on('disconnect', () => process.exit(0));
  const next = async (): Promise<ToReplica> => {
    while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
    return queue.shift()!;
  };
  try {
    const init = await next();
    if (init.type !== 'init') throw new Error(`expected init, got ${init.type}`);
    if (!isBackendName(init.backend)) throw new Error(`unknown backend ${init.backend}`);
    await initBackend({ backend: init.backend }); // returns with heed's fast kernels ready
    runAsReplica();
    const model = await Seq2Seq.load(`file://${init.modelDir}`);
    const optimizer = tf.train.adam(0); // the rate comes with every apply
    let batches: IdBatch[] = [];
    send({ type: 'ready' });
    for (;;) {
      const message = await next();
      if (message.type === 'stop') break;
      if (message.type === 'epoch') batches = lengthBatches(init.pairs, init.batchSize, message.seed);
      else if (message.type === 'step') {
        const shard = shardBatch(batches[message.index]!, init.replica, init.replicas);
        send({ type: 'grads', ...shardGradients(model, shard, init.labelSmoothing) });
      } else if (message.type === 'apply') {
        setLearningRate(optimizer, message.learningRate);
        applyGradients(model, optimizer, message.grads);
      } else if (message.type === 'weights') {
        send({ type: 'weights', values: model.trainableVariables.map((variable) => Float32Array.from(variable.dataSync() as Float32Array)) });
      }
    }
    optimizer.dispose();
    model.dispose();
  } catch (error) {
    send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
  process.disconnect?.();
}
