import * as tf from '@tensorflow/tfjs';

/**
 * An attention mask in heed's one polarity: `true` / `1` = the query **may attend** to the key,
 * `false` / `0` = blocked (as Keras). dtype `bool` or `int32` (0/1). Shapes broadcast against
 * the scores `(batch, heads, queryLength, keyLength)`:
 * - rank 2 `(queryLength, keyLength)`, shared by every batch row and head;
 * - rank 3 `(batch, queryLength, keyLength)`, shared by every head (a size-1 axis broadcasts,
 *   e.g. {@link paddingMask}'s `(batch, 1, keyLength)`);
 * - rank 4 `(batch, heads, queryLength, keyLength)`, any axis may be 1.
 *
 * PyTorch uses the opposite polarity (True = blocked); convert with {@link fromTorchKeyPaddingMask}
 * and {@link fromTorchAttnMask}.
 */
export type AttentionMask = tf.Tensor;

const MASK_DTYPES: readonly tf.DataType[] = ['bool', 'int32'];

/**
 * Throws unless `mask` is a bool/int32 tensor of rank 2, 3 or 4. Float masks are refused on
 * purpose: PyTorch float masks are *additive* (0 / -inf), and reading them as 0/1 would silently
 * invert them. `allowFloat` admits float32 too: layers pass it for a mask that reached a
 * `tf.model` graph as float32 (tfjs makes every layer output float32), read there as 0/1.
 * @internal
 */
export function assertMaskDtypeAndRank(mask: tf.Tensor, argument: string, where: string, allowFloat = false): void {
  if (!(mask instanceof tf.Tensor)) throw new Error(`${where}: ${argument} must be a tf.Tensor; got ${typeof mask}`);
  if (!MASK_DTYPES.includes(mask.dtype) && !(allowFloat && mask.dtype === 'float32')) {
    throw new Error(
      `${where}: ${argument} must have dtype bool or int32 (true/1 = may attend); got ${mask.dtype} with shape ` +
        `[${mask.shape}]. For a PyTorch additive float mask use fromTorchAttnMask; a float32 0/1 mask is read as such ` +
        `only as a mask input of a tf.model graph.`,
    );
  }
  if (mask.rank < 2 || mask.rank > 4) {
    throw new Error(`${where}: ${argument} must have rank 2, 3 or 4; got rank ${mask.rank} with shape [${mask.shape}]`);
  }
}

/**
 * Brings a mask to rank 4 `(batch|1, heads|1, queryLength|1, keyLength)` as bool: rank 2 gets two
 * leading 1s, rank 3 gets a heads axis at position 1.
 * @internal
 */
export function toRank4Mask(mask: tf.Tensor): tf.Tensor4D {
  return tf.tidy(() => {
    const asBool = mask.dtype === 'bool' ? mask : tf.notEqual(mask, 0);
    if (mask.rank === 2) return asBool.reshape([1, 1, ...mask.shape]) as tf.Tensor4D; // (1, 1, T, S)
    if (mask.rank === 3) return asBool.expandDims(1) as tf.Tensor4D; // (batch, 1, T, S)
    return (asBool === mask ? asBool.clone() : asBool) as tf.Tensor4D; // (batch, heads, T, S)
  });
}

/**
 * Throws unless a rank-4 mask broadcasts against `scoresShape` `(batch, heads, T, S)`, naming both.
 * @internal
 */
export function assertMaskBroadcasts(maskShape: readonly number[], originalShape: readonly number[], scoresShape: readonly number[], argument: string, where: string): void {
  const names = ['batch', 'heads', 'queryLength', 'keyLength'];
  for (let axis = 0; axis < 4; axis++) {
    const size = maskShape[axis];
    const expected = scoresShape[axis];
    if (size !== 1 && size !== expected) {
      throw new Error(
        `${where}: ${argument} with shape [${originalShape}] does not broadcast to the attention scores ` +
          `(batch, heads, queryLength, keyLength) = [${scoresShape}]: its ${names[axis]} axis is ${size}, expected ${expected} or 1`,
      );
    }
  }
  if (maskShape[3] !== scoresShape[3]) {
    throw new Error(`${where}: ${argument} with shape [${originalShape}] must span every key; expected keyLength ${scoresShape[3]}`);
  }
}

/**
 * Checks dtype, rank and broadcasting of `mask` against scores `(batch, heads, T, S)` in one go,
 * before any kernel runs.
 * @internal
 */
export function assertMaskFits(mask: tf.Tensor, scoresShape: readonly number[], argument: string, where: string, allowFloat = false): void {
  assertMaskDtypeAndRank(mask, argument, where, allowFloat);
  const shape4 = mask.rank === 2 ? [1, 1, ...mask.shape] : mask.rank === 3 ? [mask.shape[0]!, 1, mask.shape[1]!, mask.shape[2]!] : mask.shape;
  assertMaskBroadcasts(shape4, mask.shape, scoresShape, argument, where);
}
