import * as tf from '@tensorflow/tfjs';

/** A tfjs initializer (`tf.initializers.*` result). */
export type Initializer = ReturnType<typeof tf.initializers.zeros>;

/** tfjs' `LayerArgs` (name, trainable, inputShape, dtype, ...). */
export type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
/** tfjs' `Shape`: dimensions, `null` where unknown (the batch). */
export type Shape = Array<number | null>;
/** tfjs' `Kwargs` as layers receive them. */
export type Kwargs = Record<string, unknown>;

/** Names of tfjs initializers accepted in configs, as in `tf.initializers` (e.g. `glorotUniform`). */
export type InitializerName = 'glorotUniform' | 'glorotNormal' | 'heNormal' | 'heUniform' | 'zeros' | 'ones' | 'truncatedNormal' | 'randomNormal' | 'randomUniform';

const INITIALIZER_NAMES: readonly InitializerName[] = ['glorotUniform', 'glorotNormal', 'heNormal', 'heUniform', 'zeros', 'ones', 'truncatedNormal', 'randomNormal', 'randomUniform'];

/** Builds a tfjs initializer from its name, refusing unknown names with the list of known ones. */
export function makeInitializer(name: InitializerName, where: string, argument: string): Initializer {
  if (!INITIALIZER_NAMES.includes(name)) {
    throw new Error(`${where}: ${argument} must be one of ${INITIALIZER_NAMES.join(', ')}; got ${String(name)}`);
  }
  const factory = (tf.initializers as unknown as Record<InitializerName, (args: object) => Initializer>)[name];
  return factory({});
}

/** Throws unless `value` is a positive integer, naming it. */
export function assertPositiveInteger(value: unknown, argument: string, where: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(`${where}: ${argument} must be a positive integer; got ${String(value)}`);
  }
}

/** Throws unless `value` is a rate in [0, 1). */
export function assertRate(value: unknown, argument: string, where: string): asserts value is number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) throw new Error(`${where}: ${argument} must be in [0, 1); got ${String(value)}`);
}

/**
 * A dense projection `x · kernel + bias` over the last axis: `(..., inDim)` → `(..., outDim)`, as
 * one 2-D matMul of the flattened rows (the batched form broadcasts the kernel, whose tfjs 4.22
 * gradient does not reduce over the batch). The one dense helper of heed's layers and models.
 *
 * @example
 * ```ts
 * const logits = denseLastAxis(hidden, outputKernel, outputBias); // (batch, T, d) · (d, V) → (batch, T, V)
 * ```
 */
export function denseLastAxis(input: tf.Tensor, kernel: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor {
  return tf.tidy(() => {
    const inDim = kernel.shape[0];
    const outDim = kernel.shape[1];
    const leading = input.shape.slice(0, -1);
    const flat = input.reshape([-1, inDim]); // (batch·time, inDim)
    const projected = bias ? tf.add(tf.matMul(flat, kernel), bias) : tf.matMul(flat, kernel); // (batch·time, outDim)
    return projected.reshape([...leading, outDim]); // (..., outDim)
  });
}

/** @returns true when `value` is a SymbolicTensor or an array holding one (a tf.model graph call). */
export function isSymbolic(value: unknown): boolean {
  return value instanceof tf.SymbolicTensor || (Array.isArray(value) && value.some((item) => item instanceof tf.SymbolicTensor));
}

/**
 * The `startIndex` call option of the positional layers: a non-negative integer, default 0.
 * `graphDefault` is the one given at the layer's symbolic `apply` (tfjs' executor drops per-call
 * options, so the layer remembers it).
 */
export function readStartIndex(value: unknown, graphDefault: number | undefined, where: string): number {
  const start = value ?? graphDefault ?? 0;
  if (typeof start !== 'number' || !Number.isInteger(start) || start < 0) throw new Error(`${where}: startIndex must be a non-negative integer; got ${String(start)}`);
  return start;
}
