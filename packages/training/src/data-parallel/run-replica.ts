import * as tf from '@tensorflow/tfjs';
import { initBackend, isBackendName } from '@heed/backends';
import type { ModelInputs } from '../data/model-inputs';
import type { TrainableModel } from '../trainer/trainable-model';
import type { LossFunction } from '../trainer/trainer-types';
import { runAsReplica, type FromReplica, type ToReplica } from './replica-protocol';
import { shardGradients } from './shard-gradients';
import { fromInputsData, fromTensorData } from './shard-tensors';

/**
 * What a replica's build function returns: the same model (architecture and weight names) and loss as replica 0's.
 *
 * @example
 * ```ts
 * const replica: ReplicaModel = { model: fromLayersModel(layers), loss: (labels, logits) => sparseCategoricalCrossEntropy(labels, logits), dispose: () => layers.dispose() };
 * ```
 */
export interface ReplicaModel {
  model: TrainableModel<ModelInputs> | TrainableModel<tf.NamedTensorMap>;
  loss: LossFunction;
  /** Frees the model when the replica stops. Default: nothing. */
  dispose?: () => void;
}

/**
 * The body of a forked replica of {@link DataParallelReplicas}: initialises replica 0's tfjs
 * backend, builds the model with `build(options)` (its weights come from replica 0 before the
 * first step), then answers replica 0's steps with its shard's gradients until told to stop.
 * Errors go back to replica 0, which throws them. When replica 0 goes away (Ctrl+C reaches the
 * whole process group and it dies first), the replica ends quietly with code 0.
 *
 * @example
 * ```ts
 * // my-replica.ts, the `entry` given to DataParallelReplicas.start:
 * import { runReplica } from '@heed/training';
 * await runReplica(({ units }: { units: number }) => {
 *   const model = buildModel(units);
 *   return { model: fromLayersModel(model), loss: (labels, logits) => sparseCategoricalCrossEntropy(labels, logits), dispose: () => model.dispose() };
 * });
 * ```
 */
export async function runReplica<Options>(build: (options: Options) => ReplicaModel | Promise<ReplicaModel>): Promise<void> {
  // Nothing is left to report to once replica 0 is gone: end instead of throwing EPIPE mid-send.
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
  let built: ReplicaModel | undefined;
  try {
    const init = await next();
    if (init.type !== 'init') throw new Error(`expected init, got ${init.type}`);
    if (!isBackendName(init.backend)) throw new Error(`unknown backend ${init.backend}`);
    await initBackend({ backend: init.backend }); // returns with heed's fast kernels ready
    runAsReplica();
    built = await build(init.options as Options);
    const model = built.model as TrainableModel<ModelInputs>;
    const byName = new Map(model.weights.map((weight) => [weight.name, weight.variable]));
    send({ type: 'ready' });
    for (;;) {
      const message = await next();
      if (message.type === 'stop') break;
      if (message.type !== 'step') continue;
      if (message.weights) {
        for (const [name, values] of Object.entries(message.weights)) {
          const variable = byName.get(name);
          if (!variable) throw new Error(`replica 0 sent weight ${JSON.stringify(name)}, which this replica's model does not have (it has ${[...byName.keys()].slice(0, 8).join(', ')}…)`);
          if (values.length !== variable.size) throw new Error(`replica 0 sent ${values.length} values for weight ${name}, but this replica's has shape [${variable.shape}] (${variable.size}): build the same architecture in every replica`);
          tf.tidy(() => variable.assign(tf.tensor(values, variable.shape, 'float32')));
        }
      }
      if (!message.inputs || !message.labels) {
        send({ type: 'grads', grads: model.weights.filter((weight) => weight.trainable).map(() => null), loss: 0 });
        continue;
      }
      const inputs = fromInputsData(message.inputs);
      const labels = fromTensorData(message.labels);
      try {
        const { grads, loss } = shardGradients(model, built.loss, inputs, labels, 0, message.seed);
        send({ type: 'grads', grads, loss });
      } finally {
        tf.dispose([inputs, labels] as tf.TensorContainer);
      }
    }
  } catch (error) {
    send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  } finally {
    built?.dispose?.();
  }
  process.disconnect?.();
}
