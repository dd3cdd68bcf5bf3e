import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { inflateSync } from 'node:zlib';

/** A decoded image: row-major `height × width × channels` values in [0, 1]. */
export interface DecodedImage {
  width: number;
  height: number;
  channels: number;
  pixels: Float32Array;
}

const PNG_SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

/**
 * The largest image side read, in pixels: checked against the header before anything is inflated
 * (a 431 KB PNG of 20000×20000 pixels inflated to 2.3 GB and aborted V8). The digit models read
 * 8×8 and 28×28 images.
 */
export const MAX_IMAGE_SIDE = 4096;

function checkDimensions(name: string, format: string, width: number, height: number): void {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) throw new Error(`${name}: ${format} header gives ${width}×${height} pixels; expected positive sizes`);
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) {
    throw new Error(`${name}: ${format} header gives ${width}×${height} pixels; images up to ${MAX_IMAGE_SIDE}×${MAX_IMAGE_SIDE} are read (the digit models take 8×8 or 28×28)`);
  }
}
const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

function paeth(left: number, up: number, upLeft: number): number {
  const estimate = left + up - upLeft;
  const [toLeft, toUp, toUpLeft] = [Math.abs(estimate - left), Math.abs(estimate - up), Math.abs(estimate - upLeft)];
  return toLeft <= toUp && toLeft <= toUpLeft ? left : toUp <= toUpLeft ? up : upLeft;
}

/** 8-bit, non-interlaced PNG (grayscale, gray+alpha, RGB, RGBA) → pixels in [0, 1]. */
export function decodePng(bytes: Uint8Array, name: string): DecodedImage {
  if (PNG_SIGNATURE.some((value, index) => bytes[index] !== value)) throw new Error(`${name} is not a PNG file (bad signature)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 8;
  let header: { width: number; height: number; bitDepth: number; colorType: number; interlace: number } | undefined;
  const data: Uint8Array[] = [];
  while (offset + 8 <= bytes.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') header = { width: view.getUint32(offset + 8), height: view.getUint32(offset + 12), bitDepth: body[8]!, colorType: body[9]!, interlace: body[12]! };
    else if (type === 'IDAT') data.push(body);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  if (!header) throw new Error(`${name}: PNG without an IHDR chunk`);
  const channels = PNG_CHANNELS[header.colorType];
  if (header.bitDepth !== 8 || channels === undefined || header.interlace !== 0) {
    throw new Error(`${name}: only 8-bit non-interlaced grayscale, gray+alpha, RGB or RGBA PNGs are read; got bit depth ${header.bitDepth}, color type ${header.colorType}, interlace ${header.interlace}`);
  }
  const { width, height } = header;
  checkDimensions(name, 'PNG', width, height);
  const stride = width * channels;
  let raw: Buffer;
  try {
    // Never more than the header's image needs, however well the data compresses.
    raw = inflateSync(Buffer.concat(data), { maxOutputLength: height * (stride + 1) });
  } catch (cause) {
    throw new Error(`${name}: PNG image data does not inflate to ${width}×${height}×${channels} (${(cause as Error).message})`, { cause });
  }
  if (raw.length < height * (stride + 1)) throw new Error(`${name}: PNG image data is truncated (${raw.length} bytes for ${width}×${height}×${channels})`);
  const out = new Uint8Array(height * stride);
  for (let row = 0; row < height; row++) {
    const filter = raw[row * (stride + 1)]!;
    for (let column = 0; column < stride; column++) {
      const value = raw[row * (stride + 1) + 1 + column]!;
      const left = column >= channels ? out[row * stride + column - channels]! : 0;
      const up = row > 0 ? out[(row - 1) * stride + column]! : 0;
      const upLeft = row > 0 && column >= channels ? out[(row - 1) * stride + column - channels]! : 0;
      const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter];
      if (predictor === undefined) throw new Error(`${name}: unknown PNG filter ${filter} in row ${row}`);
      out[row * stride + column] = (value + predictor) & 255;
    }
  }
  return { width, height, channels, pixels: Float32Array.from(out, (value) => value / 255) };
}

/** Binary (P5) or plain (P2) PGM → pixels in [0, 1]. */
export function decodePgm(bytes: Uint8Array, name: string): DecodedImage {
  const magic = String.fromCharCode(bytes[0] ?? 0, bytes[1] ?? 0);
  if (magic !== 'P2' && magic !== 'P5') throw new Error(`${name} is not a PGM file (expected P2 or P5, got ${JSON.stringify(magic)})`);
  // Header: magic, width, height, maxval, separated by whitespace, with # comments.
  const fields: number[] = [];
  let offset = 2;
  while (fields.length < 3) {
    while (offset < bytes.length && /\s/.test(String.fromCharCode(bytes[offset]!))) offset++;
    if (bytes[offset] === 35) {
      while (offset < bytes.length && bytes[offset] !== 10) offset++;
      continue;
    }
    let token = '';
    while (offset < bytes.length && !/\s/.test(String.fromCharCode(bytes[offset]!))) token += String.fromCharCode(bytes[offset++]!);
    if (token === '') throw new Error(`${name}: truncated PGM header`);
    fields.push(Number(token));
  }
  const [width, height, maxValue] = fields as [number, number, number];
  if (![width, height, maxValue].every((value) => Number.isInteger(value) && value > 0) || maxValue > 255) throw new Error(`${name}: PGM header must give positive width, height and a maxval ≤ 255; got ${fields.join(' ')}`);
  checkDimensions(name, 'PGM', width, height);
  const count = width * height;
  let values: number[];
  if (magic === 'P5') {
    values = Array.from(bytes.subarray(offset + 1, offset + 1 + count));
  } else {
    values = new TextDecoder().decode(bytes.subarray(offset)).split(/\s+/).filter(Boolean).map(Number);
  }
  if (values.length < count) throw new Error(`${name}: PGM has ${values.length} pixel values; its header says ${width}×${height} = ${count}`);
  return { width, height, channels: 1, pixels: Float32Array.from(values.slice(0, count), (value) => value / maxValue) };
}

/** JSON: a `height × width` array of numbers in [0, 1], or `height × width × channels`. */
export function decodeJsonImage(text: string, name: string): DecodedImage {
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch (cause) {
    throw new Error(`${name} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  if (!Array.isArray(rows) || rows.length === 0 || !Array.isArray(rows[0])) throw new Error(`${name}: expected a JSON array of rows (height × width, values in [0, 1])`);
  const height = rows.length;
  const width = (rows[0] as unknown[]).length;
  const channels = Array.isArray((rows[0] as unknown[])[0]) ? ((rows[0] as unknown[][])[0]!).length : 1;
  const flat = (rows as unknown[][]).flat(2);
  if ((rows as unknown[][]).some((row) => row.length !== width) || flat.length !== height * width * channels || flat.some((value) => typeof value !== 'number' || !(value >= 0 && value <= 1))) {
    throw new Error(`${name}: every row must have ${width} pixels of ${channels} channel(s), each a number in [0, 1]`);
  }
  return { width, height, channels, pixels: Float32Array.from(flat as number[]) };
}

/**
 * Reads an image file for `heed predict`: PNG (8-bit), PGM (P2/P5) or JSON pixel arrays, as
 * values in [0, 1]. The caller checks size and channels against the model.
 */
export async function readImageFile(path: string): Promise<DecodedImage> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (cause) {
    throw new Error(`cannot read image ${path}: ${(cause as Error).message}`, { cause });
  }
  const extension = extname(path).toLowerCase();
  if (extension === '.json') return decodeJsonImage(new TextDecoder().decode(bytes), path);
  if (extension === '.pgm' || (bytes[0] === 80 && (bytes[1] === 50 || bytes[1] === 53))) return decodePgm(bytes, path);
  if (extension === '.png' || bytes[0] === 137) return decodePng(bytes, path);
  throw new Error(`${path}: unknown image format; give a .png (8-bit), .pgm or .json (rows of values in [0, 1])`);
}
