import * as tf from '@tensorflow/tfjs';
import { checkInputsAgree, countExamples, describeInputs, mapInputs, toInputTensors, type ModelInputs } from './model-inputs';

/**
 * One mini-batch: inputs `(batch, ...)` (one tensor, or named tensors such as
 * `{ input_ids, attention_mask }`) and labels `(batch, ...)`. (A type, not an interface, so it is
 * a tf.TensorContainer.)
 */
export type Batch = {
  xs: ModelInputs;
  ys: tf.Tensor;
};

/**
 * In-memory examples: the trainer shuffles (seeded) and batches them. First axis = examples.
 * `x` is one tensor or array, or named ones (`{ input_ids, attention_mask, token_type_ids }`,
 * all with the same examples axis); named arrays of integers become int32 tensors.
 */
export interface ArrayData {
  x: tf.Tensor | tf.TensorLike | Readonly<Record<string, tf.Tensor | tf.TensorLike>>;
  y: tf.Tensor | tf.TensorLike;
}

/**
 * A function called once per epoch that yields ready-made batches. The trainer disposes each
 * batch's tensors after its step, so yield fresh tensors.
 */
export type BatchGenerator = () => Iterator<Batch> | AsyncIterator<Batch>;

/**
 * Training data: in-memory arrays or tensors, a batch generator, or a batched `tf.data.Dataset`
 * of `{ xs, ys }` (whose batches are likewise disposed after use).
 *
 * @example
 * ```ts
 * await trainer.fit({ x: [[0, 1], [1, 0]], y: [1, 0] }, { epochs: 1 });                          // arrays
 * await trainer.fit(function* () { yield { xs: tf.ones([4, 2]), ys: tf.zeros([4]) }; }, { epochs: 1 }); // generator
 * await trainer.fit(tf.data.zip({ xs: tf.data.array(x), ys: tf.data.array(y) }).batch(32), { epochs: 1 }); // tf.data
 * await trainer.fit({ x: { input_ids, attention_mask, token_type_ids }, y: labels }, { epochs: 1 });      // named inputs
 * ```
 */
export type TrainingData = ArrayData | BatchGenerator | tf.data.Dataset<Batch>;

/** @internal A source of batches for one epoch. */
export interface BatchSource {
  /** Examples, when known (arrays): enables shuffling, splitting and progress totals. */
  readonly size: number | undefined;
  /** In-memory tensors (arrays only), for label checks. */
  readonly tensors: { x: ModelInputs; y: tf.Tensor } | undefined;
  /**
   * Yields batches; `order` (arrays only) is the example order for this epoch. `skip` leaves out
   * the first batches (resuming mid-epoch): arrays start later, streams read and free them.
   */
  batches(batchSize: number, order?: Int32Array, skip?: number): AsyncGenerator<Batch>;
  /** Frees tensors the source created. */
  dispose(): void;
}

function isDataset(data: TrainingData): data is tf.data.Dataset<Batch> {
  return typeof (data as { iterator?: unknown }).iterator === 'function';
}

/** @internal Makes a batch source; for array data, optionally splits off the last `validationSplit` of the examples. */
export function toBatchSources(data: TrainingData, validationSplit?: number): { train: BatchSource; validation?: BatchSource } {
  if (validationSplit !== undefined && !(validationSplit > 0 && validationSplit < 1)) {
    throw new RangeError(`validationSplit must be in (0, 1), got ${validationSplit}`);
  }
  if (typeof data === 'function' || isDataset(data)) {
    if (validationSplit !== undefined) {
      throw new RangeError('validationSplit needs in-memory { x, y } data; pass validationData for generators and datasets');
    }
    return { train: streamSource(typeof data === 'function' ? data : datasetGenerator(data)) };
  }
  const owned: tf.Tensor[] = [];
  const x = toInputTensors(data.x, owned);
  const y = toInputTensors(data.y, owned) as tf.Tensor;
  let examples: number;
  try {
    if (x instanceof tf.Tensor && x.rank === 0) throw new RangeError(`x and y need an examples axis, got shapes [${x.shape}] and [${y.shape}]`);
    examples = checkInputsAgree(x, 'x');
    if (y.rank === 0) throw new RangeError(`x and y need an examples axis, got shapes ${describeInputs(x)} and [${y.shape}]`);
    if (examples !== y.shape[0]) throw new RangeError(`x has ${examples} examples but y has ${y.shape[0]}: the first axes must match`);
  } catch (error) {
    tf.dispose(owned);
    throw error;
  }
  if (examples === 0) {
    tf.dispose(owned);
    throw new RangeError('the training data is empty: x and y have 0 examples');
  }
  if (validationSplit === undefined) return { train: arraySource(x, y, owned) };
  const trainCount = Math.floor(examples * (1 - validationSplit));
  if (trainCount === 0 || trainCount === examples) {
    tf.dispose(owned);
    throw new RangeError(`validationSplit ${validationSplit} of ${examples} examples leaves ${trainCount} for training and ${examples - trainCount} for validation; both need at least one`);
  }
  // As Keras: the validation examples are the last ones, taken before any shuffling.
  const trainX = mapInputs(x, (tensor) => tensor.slice(0, trainCount));
  const validationX = mapInputs(x, (tensor) => tensor.slice(trainCount));
  const [trainY, validationY] = tf.split(y, [trainCount, examples - trainCount]);
  tf.dispose(owned);
  return { train: arraySource(trainX, trainY!, [trainX, trainY!]), validation: arraySource(validationX, validationY!, [validationX, validationY!]) };
}

function arraySource(x: ModelInputs, y: tf.Tensor, owned: tf.TensorContainer[]): BatchSource {
  const size = countExamples(x);
  return {
    size,
    tensors: { x, y },
    async *batches(batchSize, order, skip = 0) {
      for (let start = skip * batchSize; start < size; start += batchSize) {
        const count = Math.min(batchSize, size - start);
        if (!order) {
          yield { xs: mapInputs(x, (tensor) => tensor.slice(start, count)), ys: y.slice(start, count) };
          continue;
        }
        const indices = tf.tensor1d(order.subarray(start, start + count), 'int32');
        const batch = { xs: mapInputs(x, (tensor) => tf.gather(tensor, indices)), ys: tf.gather(y, indices) };
        indices.dispose();
        yield batch;
      }
    },
    dispose: () => tf.dispose(owned),
  };
}

function datasetGenerator(dataset: tf.data.Dataset<Batch>): BatchGenerator {
  return () => {
    let iterator: Promise<{ next(): Promise<IteratorResult<Batch>> }> | undefined;
    return {
      next: async () => {
        iterator ??= dataset.iterator();
        return (await iterator).next();
      },
    };
  };
}

function streamSource(generator: BatchGenerator): BatchSource {
  return {
    size: undefined,
    tensors: undefined,
    async *batches(_batchSize, _order, skip = 0) {
      const iterator = generator();
      for (let skipped = 0; skipped < skip; skipped++) {
        const result = await iterator.next();
        if (result.done) throw new RangeError(`cannot resume at batch ${skip} of the epoch: the data ended after ${skipped} batches`);
        tf.dispose(result.value as tf.TensorContainer);
      }
      for (;;) {
        const result = await iterator.next();
        if (result.done) return;
        yield result.value;
      }
    },
    dispose: () => undefined,
  };
}
