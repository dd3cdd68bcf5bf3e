import * as tf from '@tensorflow/tfjs';
import { parseHfImageProcessorConfig, type HfImageProcessorConfig } from './hf-image-processor-config';
import { resampleImage, type ByteImage } from './resample-image';

/**
 * An image to preprocess: row-major `height × width × channels` values, either bytes 0…255
 * (`Uint8Array`, `Uint8ClampedArray`: a canvas `ImageData` qualifies) or floats in [0, 1]
 * (read as `round(value · 255)`). Channels: 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA; by default
 * `data.length / (width · height)`.
 */
export interface ImageInput {
  readonly width: number;
  readonly height: number;
  readonly channels?: number;
  readonly data: Uint8Array | Uint8ClampedArray | Float32Array | Float64Array | readonly number[];
}

/**
 * A checkpoint's image preprocessing, as transformers' ViTImageProcessor does it: convert to RGB
 * (gray repeated, alpha dropped, as `PIL.Image.convert("RGB")`), resize to `size` with PIL's
 * filter (exactly, in 8 bits), rescale by `rescale_factor`, normalise `(x − mean) / std` per
 * channel in float32, and lay out channels first. Without `do_resize`, an image of another size
 * than `size` is an error naming both.
 *
 * @example
 * ```ts
 * const processor = await loadHfImageProcessor(folderSource('checkpoints/vit-tiny'));
 * const pixelValues = processor.preprocess([{ width: 640, height: 480, data: rgbaBytes }]); // (1, 3, 224, 224)
 * const { logits } = model.forward({ pixel_values: pixelValues });
 * ```
 */
export class HfImageProcessor {
  constructor(readonly config: HfImageProcessorConfig = parseHfImageProcessorConfig({})) {}

  /** The output `(channels, height, width)`. */
  get shape(): [number, number, number] {
    return [3, this.config.size.height, this.config.size.width];
  }

  /**
   * One image → `pixel_values` as a channels-first `Float32Array` of {@link shape}.
   *
   * @example
   * ```ts
   * processor.preprocessToArray({ width: 2, height: 1, data: new Uint8Array([0, 0, 0, 255, 255, 255]) });
   * ```
   */
  preprocessToArray(image: ImageInput, name = 'image'): Float32Array {
    const { config } = this;
    let rgb = toRgbBytes(image, name);
    const { height, width } = config.size;
    if (rgb.width !== width || rgb.height !== height) {
      if (!config.do_resize) {
        throw new RangeError(`${name}: expected ${width}×${height} pixels (preprocessor_config.json size, do_resize false); got ${rgb.width}×${rgb.height}`);
      }
      rgb = resampleImage(rgb, width, height, config.resample);
    }
    const out = new Float32Array(3 * height * width);
    const plane = height * width;
    const mean = config.image_mean.map(Math.fround);
    const std = config.image_std.map(Math.fround);
    for (let channel = 0; channel < 3; channel++) {
      for (let index = 0; index < plane; index++) {
        // transformers: rescale in float64 then float32; normalise in float32.
        let value = rgb.data[index * 3 + channel]!;
        if (config.do_rescale) value = Math.fround(value * config.rescale_factor);
        if (config.do_normalize) value = Math.fround(Math.fround(value - mean[channel]!) / std[channel]!);
        out[channel * plane + index] = value;
      }
    }
    return out;
  }

  /**
   * Images → `pixel_values` `(batch, channels, height, width)` (HF's layout), float32. The caller
   * disposes the tensor.
   *
   * @example
   * ```ts
   * const pixelValues = processor.preprocess([image]); // shape [1, 3, 224, 224]
   * ```
   */
  preprocess(images: ImageInput | readonly ImageInput[]): tf.Tensor4D {
    const list = Array.isArray(images) ? (images as readonly ImageInput[]) : [images as ImageInput];
    if (list.length === 0) throw new RangeError('images: expected at least one image, got none');
    const [channels, height, width] = this.shape;
    const size = channels * height * width;
    const data = new Float32Array(list.length * size);
    list.forEach((image, index) => data.set(this.preprocessToArray(image, list.length > 1 ? `images[${index}]` : 'image'), index * size));
    return tf.tensor4d(data, [list.length, channels, height, width]);
  }
}

/** An input image as 8-bit RGB (PIL's `convert("RGB")`); errors name the image and the sizes. */
export function toRgbBytes(image: ImageInput, name = 'image'): ByteImage {
  if (image === null || typeof image !== 'object') throw new TypeError(`${name}: expected {width, height, data}, got ${image === null ? 'null' : typeof image}`);
  const { width, height, data } = image;
  if (!Number.isSafeInteger(width) || !Number.isSafeInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`${name}: width and height must be positive integers; got ${String(width)}×${String(height)}`);
  }
  if (data === null || typeof data !== 'object' || typeof data.length !== 'number') throw new TypeError(`${name}.data: expected an array of pixel values, got ${data === null ? 'null' : typeof data}`);
  const channels = image.channels ?? data.length / (width * height);
  if (![1, 2, 3, 4].includes(channels) || data.length !== width * height * channels) {
    throw new RangeError(`${name}.data: expected ${width}×${height}×channels values (channels 1, 2, 3 or 4); got ${data.length} values${image.channels === undefined ? '' : ` for ${image.channels} channels`}`);
  }
  const bytes = data instanceof Uint8Array || data instanceof Uint8ClampedArray;
  const out = new Uint8Array(width * height * 3);
  for (let pixel = 0; pixel < width * height; pixel++) {
    for (let channel = 0; channel < 3; channel++) {
      const source = channels >= 3 ? channel : 0;
      const raw = data[pixel * channels + source]!;
      if (bytes) out[pixel * 3 + channel] = raw;
      else {
        if (!(raw >= 0 && raw <= 1)) throw new RangeError(`${name}.data[${pixel * channels + source}]: float pixel values must be in [0, 1]; got ${String(raw)}`);
        out[pixel * 3 + channel] = Math.round(raw * 255);
      }
    }
  }
  return { width, height, channels: 3, data: out };
}
