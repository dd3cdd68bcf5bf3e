/**
 * PIL's resampling filters by the numbers `preprocessor_config.json` uses for `resample`
 * (PIL.Image.Resampling): 0 nearest, 1 Lanczos, 2 bilinear, 3 bicubic, 4 box, 5 Hamming.
 */
export const PIL_RESAMPLE = { nearest: 0, lanczos: 1, bilinear: 2, bicubic: 3, box: 4, hamming: 5 } as const;

/** One of {@link PIL_RESAMPLE}'s values. */
export type PilResample = (typeof PIL_RESAMPLE)[keyof typeof PIL_RESAMPLE];

/** An 8-bit image: row-major `height × width × channels` bytes (what PIL holds). */
export interface ByteImage {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly data: Uint8Array;
}

interface Filter {
  readonly support: number;
  readonly weight: (x: number) => number;
}

const sinc = (x: number) => (x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x));
// The filters of PIL's Resample.c, with their supports.
const FILTERS: Record<Exclude<PilResample, 0>, Filter> = {
  4: { support: 0.5, weight: (x) => (x > -0.5 && x <= 0.5 ? 1 : 0) },
  2: { support: 1, weight: (x) => (Math.abs(x) < 1 ? 1 - Math.abs(x) : 0) },
  5: { support: 1, weight: (x) => (x === 0 ? 1 : Math.abs(x) >= 1 ? 0 : sinc(x) * (0.54 + 0.46 * Math.cos(Math.PI * x))) },
  3: {
    support: 2,
    weight: (value) => {
      const a = -0.5;
      const x = Math.abs(value);
      if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
      if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
      return 0;
    },
  },
  1: { support: 3, weight: (x) => (x > -3 && x < 3 ? sinc(x) * sinc(x / 3) : 0) },
};

/** PIL's fixed point: 32 bits minus 8 for the value and 2 for headroom. */
const PRECISION_BITS = 22;

/** Source ranges and fixed-point weights of each output pixel along one axis (PIL's precompute_coeffs). */
function coefficients(inSize: number, outSize: number, filter: Filter): { starts: Int32Array; counts: Int32Array; size: number; weights: Int32Array } {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filter.support * filterScale;
  const size = Math.ceil(support) * 2 + 1;
  const starts = new Int32Array(outSize);
  const counts = new Int32Array(outSize);
  const weights = new Int32Array(outSize * size);
  const row = new Float64Array(size);
  for (let out = 0; out < outSize; out++) {
    const center = (out + 0.5) * scale;
    // C's (int) cast truncates toward zero; both values are ≥ -0.5 + 0.5 here, so Math.trunc.
    const start = Math.max(Math.trunc(center - support + 0.5), 0);
    const count = Math.min(Math.trunc(center + support + 0.5), inSize) - start;
    let total = 0;
    for (let x = 0; x < count; x++) {
      row[x] = filter.weight((x + start - center + 0.5) / filterScale);
      total += row[x]!;
    }
    for (let x = 0; x < count; x++) {
      const weight = total !== 0 ? row[x]! / total : row[x]!;
      weights[out * size + x] = Math.trunc(weight < 0 ? -0.5 + weight * (1 << PRECISION_BITS) : 0.5 + weight * (1 << PRECISION_BITS));
    }
    starts[out] = start;
    counts[out] = count;
  }
  return { starts, counts, size, weights };
}

const clip8 = (sum: number) => Math.min(255, Math.max(0, Math.floor(sum / (1 << PRECISION_BITS))));

/**
 * Resizes an 8-bit image exactly as PIL's `Image.resize(size, resample)` does (what transformers'
 * image processors call): separable filters widened by the scale when shrinking (antialiasing),
 * 22-bit fixed-point weights, a horizontal then a vertical pass, each rounded and clipped to
 * 0…255. The same size returns a copy.
 *
 * @example
 * ```ts
 * const small = resampleImage({ width: 640, height: 480, channels: 3, data }, 224, 224, PIL_RESAMPLE.bilinear);
 * small.data.length; // 224 * 224 * 3
 * ```
 */
export function resampleImage(image: ByteImage, width: number, height: number, resample: PilResample = PIL_RESAMPLE.bilinear): ByteImage {
  const { channels } = image;
  if (width === image.width && height === image.height) return { width, height, channels, data: image.data.slice() };
  if (resample === PIL_RESAMPLE.nearest) return nearest(image, width, height);
  const filter = FILTERS[resample];
  if (filter === undefined) throw new RangeError(`resample: expected one of ${Object.values(PIL_RESAMPLE).join(', ')} (PIL.Image.Resampling), got ${String(resample)}`);
  const horizontal = coefficients(image.width, width, filter);
  const vertical = coefficients(image.height, height, filter);
  let source = image;
  let rowOffset = 0;
  if (width !== image.width) {
    // Only the rows the vertical pass reads (PIL's ybox_first … ybox_last).
    const first = height !== image.height ? vertical.starts[0]! : 0;
    const last = height !== image.height ? vertical.starts[height - 1]! + vertical.counts[height - 1]! : image.height;
    const data = new Uint8Array((last - first) * width * channels);
    for (let y = 0; y < last - first; y++) {
      const inRow = (y + first) * image.width * channels;
      for (let x = 0; x < width; x++) {
        const start = horizontal.starts[x]!;
        const count = horizontal.counts[x]!;
        const base = x * horizontal.size;
        for (let channel = 0; channel < channels; channel++) {
          let sum = 1 << (PRECISION_BITS - 1);
          for (let k = 0; k < count; k++) sum += image.data[inRow + (start + k) * channels + channel]! * horizontal.weights[base + k]!;
          data[(y * width + x) * channels + channel] = clip8(sum);
        }
      }
    }
    source = { width, height: last - first, channels, data };
    rowOffset = first;
  }
  if (height === image.height) return source;
  const data = new Uint8Array(height * width * channels);
  const stride = width * channels;
  for (let y = 0; y < height; y++) {
    const start = vertical.starts[y]! - rowOffset;
    const count = vertical.counts[y]!;
    const base = y * vertical.size;
    for (let index = 0; index < stride; index++) {
      let sum = 1 << (PRECISION_BITS - 1);
      for (let k = 0; k < count; k++) sum += source.data[(start + k) * stride + index]! * vertical.weights[base + k]!;
      data[y * stride + index] = clip8(sum);
    }
  }
  return { width, height, channels, data };
}

/** PIL's NEAREST (ImagingScaleAffine): source coordinates stepped by in/out from half a step in, truncated. */
function nearest(image: ByteImage, width: number, height: number): ByteImage {
  const { channels } = image;
  const table = (inSize: number, outSize: number): Int32Array => {
    const step = inSize / outSize;
    const out = new Int32Array(outSize);
    let position = step * 0.5;
    for (let index = 0; index < outSize; index++) {
      out[index] = Math.min(inSize - 1, Math.trunc(position));
      position += step;
    }
    return out;
  };
  const columns = table(image.width, width);
  const rows = table(image.height, height);
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let channel = 0; channel < channels; channel++) data[(y * width + x) * channels + channel] = image.data[(rows[y]! * image.width + columns[x]!) * channels + channel]!;
    }
  }
  return { width, height, channels, data };
}
