/**
 * The layout changes between PyTorch tensors as Hugging Face stores them and heed's (TensorFlow.js)
 * layouts, on plain typed arrays (no tfjs: run them while streaming a checkpoint).
 */

function check(name: string, data: Float32Array, shape: readonly number[], rank: number): void {
  if (shape.length !== rank) throw new Error(`${name}: expected a rank-${rank} shape; got [${shape.join(', ')}]`);
  const count = shape.reduce((product, size) => product * size, 1);
  if (data.length !== count) throw new Error(`${name}: shape [${shape.join(', ')}] has ${count} elements but data has ${data.length}`);
}

/**
 * A `torch.nn.Linear` weight `(out, in)` as a Dense kernel `(in, out)` (y = x·kernel + bias).
 * Its own inverse with the shape swapped (`linearToKernel(kernel, [in, out])` gives the weight
 * back), for saving.
 *
 * @example
 * ```ts
 * linearToKernel(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]); // [1, 4, 2, 5, 3, 6]: shape (3, 2)
 * ```
 */
export function linearToKernel(weight: Float32Array, [out, inputs]: readonly number[]): Float32Array {
  check('linearToKernel', weight, [out!, inputs!], 2);
  const kernel = new Float32Array(weight.length);
  for (let o = 0; o < out!; o += 1) for (let i = 0; i < inputs!; i += 1) kernel[i * out! + o] = weight[o * inputs! + i]!;
  return kernel;
}

/**
 * A `torch.nn.Conv2d` patch projection `(out, in, kh, kw)` (ViT's `patch_embeddings.projection`)
 * as heed's patch kernel `(kh · kw · in, out)`, rows ordered (row in patch, column in patch,
 * channel) as `extractPatches` flattens a patch.
 *
 * @example
 * ```ts
 * const kernel = conv2dToPatchKernel(weight, [768, 3, 16, 16]); // (768, 768): 16·16·3 rows
 * ```
 */
export function conv2dToPatchKernel(weight: Float32Array, [out, channels, height, width]: readonly number[]): Float32Array {
  check('conv2dToPatchKernel', weight, [out!, channels!, height!, width!], 4);
  const kernel = new Float32Array(weight.length);
  for (let o = 0; o < out!; o += 1)
    for (let c = 0; c < channels!; c += 1)
      for (let y = 0; y < height!; y += 1)
        for (let x = 0; x < width!; x += 1) kernel[((y * width! + x) * channels! + c) * out! + o] = weight[((o * channels! + c) * height! + y) * width! + x]!;
  return kernel;
}

/** heed's patch kernel `(kh · kw · in, out)` back to a Conv2d weight `(out, in, kh, kw)`, for saving. */
export function patchKernelToConv2d(kernel: Float32Array, [out, channels, height, width]: readonly number[]): Float32Array {
  check('patchKernelToConv2d', kernel, [out!, channels!, height!, width!], 4);
  const weight = new Float32Array(kernel.length);
  for (let o = 0; o < out!; o += 1)
    for (let c = 0; c < channels!; c += 1)
      for (let y = 0; y < height!; y += 1)
        for (let x = 0; x < width!; x += 1) weight[((o * channels! + c) * height! + y) * width! + x] = kernel[((y * width! + x) * channels! + c) * out! + o]!;
  return weight;
}

/**
 * Images `(batch, channels, height, width)` as HF's `pixel_values` are, to heed's
 * `(batch, height, width, channels)`.
 *
 * @example
 * ```ts
 * channelsFirstToLast(pixelValues, [1, 3, 224, 224]); // (1, 224, 224, 3)
 * ```
 */
export function channelsFirstToLast(pixels: Float32Array, [batch, channels, height, width]: readonly number[]): Float32Array {
  check('channelsFirstToLast', pixels, [batch!, channels!, height!, width!], 4);
  const out = new Float32Array(pixels.length);
  for (let b = 0; b < batch!; b += 1)
    for (let c = 0; c < channels!; c += 1)
      for (let y = 0; y < height!; y += 1)
        for (let x = 0; x < width!; x += 1) out[((b * height! + y) * width! + x) * channels! + c] = pixels[((b * channels! + c) * height! + y) * width! + x]!;
  return out;
}
