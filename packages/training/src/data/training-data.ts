import * as tf from '@tensorflow/tfjs';

/** One mini-batch: inputs `(batch, ...)` and labels `(batch, ...)`. (A type, not an interface, so it is a tf.TensorContainer.) */
export type Batch = {
  xs: tf.Tensor;
  ys: tf.Tensor;
};

/** In-memory examples: the trainer shuffles (seeded) and batches them. First axis = examples. */
export interface ArrayData {
  x: tf.Tensor | tf.TensorLike;
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
 * ```
 */
export type TrainingData = ArrayData | BatchGenerator | tf.data.Dataset<Batch>;

/** @internal A source of batches for one epoch. */
export interface BatchSource {
  /** Examples, when known (arrays): enables shuffling, splitting and progress totals. */
  readonly size: number | undefined;
  /** In-memory tensors (arrays only), for label checks. */
  readonly tensors: { x: tf.Tensor; y: tf.Tensor } | undefined;
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
  const asTensor = (value: tf.Tensor | tf.TensorLike) => {
    if (value instanceof tf.Tensor) return value;
    const tensor = tf.tensor(value as number[]);
    owned.push(tensor);
    return tensor;
  };
  const x = asTensor(data.x);
  const y = asTensor(data.y);
  const examples = x.shape[0] ?? 0;
  if (x.rank === 0 || y.rank === 0) throw new RangeError(`x and y need an examples axis, got shapes [${x.shape}] and [${y.shape}]`);
  if (examples !== y.shape[0]) {
    tf.dispose(owned);
    throw new RangeError(`x has ${examples} examples but y has ${y.shape[0]}: the first axes must match`);
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
  const [trainX, validationX] = tf.split(x, [trainCount, examples - trainCount]);
  const [trainY, validationY] = tf.split(y, [trainCount, examples - trainCount]);
  tf.dispose(owned);
  return { train: arraySource(trainX!, trainY!, [trainX!, trainY!]), validation: arraySource(validationX!, validationY!, [validationX!, validationY!]) };
}

function arraySource(x: tf.Tensor, y: tf.Tensor, owned: tf.Tensor[]): BatchSource {
  const size = x.shape[0]!;
  return {
    size,
    tensors: { x, y },
    async *batches(batchSize, order, skip = 0) {
      for (let start = skip * batchSize; start < size; start += batchSize) {
        const count = Math.min(batchSize, size - start);
        if (!order) {
          yield { xs: x.slice(start, count), ys: y.slice(start, count) };
          continue;
        }
        const indices = tf.tensor1d(order.subarray(start, start + count), 'int32');
        const batch = { xs: tf.gather(x, indices), ys: tf.gather(y, indices) };
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
