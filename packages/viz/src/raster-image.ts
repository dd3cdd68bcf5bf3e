/** Pixels of an image: gray (1 channel), RGB (3) or RGBA (4), row-major, 0-255 or 0-1. */
export interface RasterImage {
  width: number;
  height: number;
  /** `width × height × channels` values, row-major. */
  pixels: ArrayLike<number>;
  /** Default: inferred from `pixels.length / (width × height)`. */
  channels?: 1 | 3 | 4;
  /** `unit`: values in [0, 1] (e.g. normalized MNIST); `byte`: 0-255. Default: `unit` when no value exceeds 1. */
  range?: 'unit' | 'byte';
}

/** An image to load from a URL (data URLs included), with its natural size in pixels. */
export interface ImageUrl {
  url: string;
  width: number;
  height: number;
}

/**
 * Converts a {@link RasterImage} to straight RGBA bytes, checking its size.
 *
 * @example
 * ```ts
 * toRgba('myChart', { width: 2, height: 1, pixels: [0, 1] }); // Uint8ClampedArray [0,0,0,255, 255,255,255,255]
 * ```
 */
export function toRgba(caller: string, image: RasterImage): Uint8ClampedArray {
  const { width, height, pixels } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new Error(`${caller}: image width and height must be positive integers; got ${width} × ${height}`);
  }
  const count = width * height;
  const channels = image.channels ?? pixels.length / count;
  if (![1, 3, 4].includes(channels) || pixels.length !== count * channels) {
    throw new Error(
      `${caller}: image.pixels has ${pixels.length} values but a ${width} × ${height} image needs ${count} (gray), ${count * 3} (RGB) or ${count * 4} (RGBA)${image.channels ? `; channels is ${image.channels}` : ''}`,
    );
  }
  let range = image.range;
  if (range === undefined) {
    range = 'unit';
    for (let index = 0; index < pixels.length; index++) {
      if (Number(pixels[index]) > 1) {
        range = 'byte';
        break;
      }
    }
  }
  const factor = range === 'unit' ? 255 : 1;
  const rgba = new Uint8ClampedArray(count * 4);
  for (let pixel = 0; pixel < count; pixel++) {
    for (let channel = 0; channel < 4; channel++) {
      let value: number;
      if (channel === 3) value = channels === 4 ? Number(pixels[pixel * 4 + 3]) * factor : 255;
      else value = Number(pixels[pixel * channels + (channels === 1 ? 0 : channel)]) * factor;
      rgba[pixel * 4 + channel] = Math.round(value);
    }
  }
  return rgba;
}
