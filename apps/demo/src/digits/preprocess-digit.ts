/**
 * MNIST-style preprocessing of a drawn digit, pure TypeScript (no tfjs, no DOM), so the page and
 * the tests in Node run the same code.
 *
 * MNIST's digits (LeCun et al.) were size-normalized to fit a 20×20 box, keeping their aspect
 * ratio, with anti-aliasing, then placed in a 28×28 field so that their center of mass sits at the
 * field's center. {@link preprocessDigit} does the same to a drawing:
 *
 * 1. ink per pixel: `1 − luminance/255` of the canvas (dark strokes on a white canvas → 1, paper → 0);
 * 2. the bounding box of the pixels with ink above {@link INK_THRESHOLD}; none → {@link EmptyDrawingError};
 * 3. the box scaled by area averaging (each output pixel averages the input area it covers) so its
 *    longer side is `box` pixels (20 for MNIST), the shorter side in proportion;
 * 4. that patch placed in the `frame`×`frame` field (28 for MNIST) so its center of mass lands on
 *    the field's center (rounded to whole pixels, kept inside the field);
 * 5. values in [0, 1] (0 = background), as the MNIST arrays of the `mnist` package the ViT was trained on.
 */

/** Ink below this (out of 1) is paper, not stroke, when finding the digit's bounding box. */
export const INK_THRESHOLD = 0.05;

/** Field and box sizes: MNIST's 28×28 field with the digit in 20×20. */
export interface DigitGeometry {
  frame: number;
  box: number;
}

export const MNIST_GEOMETRY: DigitGeometry = Object.freeze({ frame: 28, box: 20 });

/** Nothing was drawn: no pixel has ink. */
export class EmptyDrawingError extends Error {
  constructor() {
    super('Nothing is drawn yet: draw a digit on the canvas first.');
    this.name = 'EmptyDrawingError';
  }
}

/** Ink (0 paper … 1 black) of each pixel of RGBA data, e.g. a canvas' `getImageData().data`; transparent pixels are paper. */
export function inkOfRgba(rgba: ArrayLike<number>, width: number, height: number): Float32Array {
  if (rgba.length !== width * height * 4) throw new Error(`inkOfRgba: expected ${width}×${height}×4 = ${width * height * 4} values; got ${rgba.length}`);
  const ink = new Float32Array(width * height);
  for (let index = 0; index < ink.length; index++) {
    const luminance = 0.299 * rgba[index * 4]! + 0.587 * rgba[index * 4 + 1]! + 0.114 * rgba[index * 4 + 2]!;
    ink[index] = (1 - luminance / 255) * (rgba[index * 4 + 3]! / 255);
  }
  return ink;
}

/** The result of {@link preprocessDigit}. */
export interface PreprocessedDigit {
  /** `frame × frame` values in [0, 1], row-major: the model's input. */
  pixels: Float32Array;
  /** The drawing's bounding box in input pixels. */
  box: { x: number; y: number; width: number; height: number };
}

/** Sum of `ink` over the input rectangle [x0, x1) × [y0, y1) (fractional edges weighted by coverage). */
function areaSum(ink: Float32Array, width: number, x0: number, x1: number, y0: number, y1: number): number {
  let sum = 0;
  for (let y = Math.floor(y0); y < Math.ceil(y1); y++) {
    const coverY = Math.min(y + 1, y1) - Math.max(y, y0);
    if (coverY <= 0) continue;
    for (let x = Math.floor(x0); x < Math.ceil(x1); x++) {
      const coverX = Math.min(x + 1, x1) - Math.max(x, x0);
      if (coverX > 0) sum += ink[y * width + x]! * coverX * coverY;
    }
  }
  return sum;
}

/** MNIST-style preprocessing of `ink` (`width × height`, 0 paper … 1 ink); see the module comment. */
export function preprocessDigit(ink: Float32Array, width: number, height: number, geometry: DigitGeometry = MNIST_GEOMETRY): PreprocessedDigit {
  if (ink.length !== width * height) throw new Error(`preprocessDigit: expected ${width}×${height} = ${width * height} values; got ${ink.length}`);
  const { frame, box: boxSize } = geometry;
  let left = width;
  let right = -1;
  let top = height;
  let bottom = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x]! <= INK_THRESHOLD) continue;
      left = Math.min(left, x);
      right = Math.max(right, x);
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
    }
  }
  if (right < 0) throw new EmptyDrawingError();
  const box = { x: left, y: top, width: right - left + 1, height: bottom - top + 1 };
  // 3. Scale the box so its longer side is boxSize, by area averaging.
  const scale = boxSize / Math.max(box.width, box.height); // output pixels per input pixel
  const scaledWidth = Math.max(1, Math.min(boxSize, Math.round(box.width * scale)));
  const scaledHeight = Math.max(1, Math.min(boxSize, Math.round(box.height * scale)));
  const stepX = box.width / scaledWidth; // input pixels per output pixel
  const stepY = box.height / scaledHeight;
  const scaled = new Float32Array(scaledWidth * scaledHeight);
  let mass = 0;
  let massX = 0;
  let massY = 0;
  for (let y = 0; y < scaledHeight; y++) {
    for (let x = 0; x < scaledWidth; x++) {
      const x0 = box.x + x * stepX;
      const y0 = box.y + y * stepY;
      const value = Math.min(1, areaSum(ink, width, x0, x0 + stepX, y0, y0 + stepY) / (stepX * stepY));
      scaled[y * scaledWidth + x] = value;
      mass += value;
      massX += value * x;
      massY += value * y;
    }
  }
  // 4. Center of mass (in pixel indices, as MNIST: 14 of 0…27) on the field's center, keeping the patch inside the field.
  const center = frame / 2;
  const offsetX = Math.min(frame - scaledWidth, Math.max(0, Math.round(center - massX / mass)));
  const offsetY = Math.min(frame - scaledHeight, Math.max(0, Math.round(center - massY / mass)));
  const pixels = new Float32Array(frame * frame);
  for (let y = 0; y < scaledHeight; y++) pixels.set(scaled.subarray(y * scaledWidth, (y + 1) * scaledWidth), (y + offsetY) * frame + offsetX);
  return { pixels, box };
}
