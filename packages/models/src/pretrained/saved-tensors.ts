import * as tf from '@tensorflow/tfjs';
import { HEED_WEIGHTS_FILE, type HeedSavedModel, type HeedTensor } from './heed-format';

/** A model weight that a saved tensor of the same role name fills. */
export interface TensorSlot {
  readonly shape: readonly number[];
  assign(value: tf.Tensor): void;
}

/**
 * A weight's role name in a saved heed model: its tfjs name inside the model
 * (`encoder_block_0/self_attention/query/kernel`), with a `Bidirectional` layer's generated
 * sublayer names (`forward_lstm_LSTM1`, which depend on how many LSTMs the process built
 * before) cut to their role, `forward` / `backward`.
 *
 * @example
 * ```ts
 * roleName('bilstm/forward_lstm_LSTM1/kernel'); // 'bilstm/forward/kernel'
 * ```
 */
export function roleName(weightName: string): string {
  return weightName
    .split('/')
    .map((part) => /^(forward|backward)_/.exec(part)?.[1] ?? part)
    .join('/');
}

/**
 * The weights of a `tf.LayersModel` by role name ({@link roleName}); two weights with one role
 * name are refused.
 *
 * @example
 * ```ts
 * [...layersModelSlots(classifier.model).keys()]; // ['token_embedding/embeddings', 'bilstm/forward/kernel', …]
 * ```
 */
export function layersModelSlots(model: tf.LayersModel): Map<string, TensorSlot & { read(): tf.Tensor }> {
  const slots = new Map<string, TensorSlot & { read(): tf.Tensor }>();
  for (const weight of model.weights) {
    const name = roleName(weight.originalName);
    if (slots.has(name)) throw new Error(`layersModelSlots: two weights of ${model.name} have the role name ${JSON.stringify(name)}`);
    slots.set(name, { shape: weight.shape as number[], assign: (value) => weight.write(value), read: () => weight.read() });
  }
  return slots;
}

/**
 * Reads weights into {@link HeedTensor}s (downloads each from the backend), in the given order.
 *
 * @example
 * ```ts
 * const tensors = await readSlots(layersModelSlots(vit.model));
 * ```
 */
export async function readSlots(slots: ReadonlyMap<string, { read(): tf.Tensor }>): Promise<Map<string, HeedTensor>> {
  const tensors = new Map<string, HeedTensor>();
  for (const [name, slot] of slots) {
    const tensor = slot.read();
    tensors.set(name, { shape: [...tensor.shape], data: Float32Array.from(await tensor.data()) }); // a copy: the backend may hand out its own buffer
  }
  return tensors;
}

/**
 * Fills every slot from the saved tensor of its name, after checking all of them: a missing or
 * unexpected tensor, or one of another shape, is refused naming the weights file and the tensor,
 * and nothing is assigned (a model is never half loaded).
 *
 * @param where prefix of errors, e.g. `'VitImageClassifier.fromSaved'`.
 * @example
 * ```ts
 * assignSavedTensors(layersModelSlots(model), saved, 'VitImageClassifier.fromSaved');
 * ```
 */
export function assignSavedTensors(slots: ReadonlyMap<string, TensorSlot>, saved: HeedSavedModel, where: string): void {
  const file = saved.files?.weights ?? HEED_WEIGHTS_FILE;
  const missing = [...slots.keys()].filter((name) => !saved.tensors.has(name));
  const extra = [...saved.tensors.keys()].filter((name) => !slots.has(name));
  const list = (names: string[]) => (names.length === 0 ? 'none' : `${names.slice(0, 6).join(', ')}${names.length > 6 ? `, … (${names.length} in all)` : ''}`);
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(`${where}: ${file} does not hold the weights its config describes (missing: ${list(missing)}; unexpected: ${list(extra)})`);
  }
  for (const [name, slot] of slots) {
    const tensor = saved.tensors.get(name)!;
    if (tensor.shape.join() !== slot.shape.join()) {
      throw new Error(`${where}: ${file}: tensor ${JSON.stringify(name)} has shape [${tensor.shape.join(', ')}] but the config expects [${slot.shape.join(', ')}]`);
    }
  }
  for (const [name, slot] of slots) {
    const tensor = saved.tensors.get(name)!;
    const value = tf.tensor(tensor.data, [...tensor.shape], 'float32');
    try {
      slot.assign(value);
    } finally {
      value.dispose();
    }
  }
}

/**
 * Fills a freshly built `model` from `saved` ({@link assignSavedTensors}); on any mismatch the
 * model is disposed and the error rethrown, so a caller gets a whole model or none.
 *
 * @example
 * ```ts
 * return loadSavedInto(new VitImageClassifier(config), (vit) => layersModelSlots(vit.model), saved, 'VisionTransformer.load');
 * ```
 */
export function loadSavedInto<Model extends { dispose(): void }>(model: Model, slotsOf: (model: Model) => ReadonlyMap<string, TensorSlot>, saved: HeedSavedModel, where: string): Model {
  try {
    assignSavedTensors(slotsOf(model), saved, where);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}
