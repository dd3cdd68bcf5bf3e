const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0xffffffff;
  for (let index = start; index < end; index++) crc = CRC_TABLE[(crc ^ bytes[index]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * Encodes straight RGBA pixels (`width × height × 4` bytes, row-major) as a PNG file. The image
 * data is stored uncompressed (deflate "stored" blocks) to keep this dependency-free; it is meant
 * for small images such as 28 × 28 digits or 224 × 224 patches.
 *
 * @example
 * ```ts
 * const png = encodePng(new Uint8ClampedArray([255, 0, 0, 255]), 1, 1); // one red pixel
 * ```
 */
export function encodePng(rgba: ArrayLike<number>, width: number, height: number): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new Error(`encodePng: width and height must be positive integers; got ${width} × ${height}`);
  }
  if (rgba.length !== width * height * 4) {
    throw new Error(`encodePng: rgba must have width × height × 4 = ${width * height * 4} bytes; got ${rgba.length}`);
  }
  const rowBytes = width * 4 + 1;
  const raw = new Uint8Array(rowBytes * height);
  for (let y = 0; y < height; y++) {
    raw[y * rowBytes] = 0; // filter: none
    for (let x = 0; x < width * 4; x++) raw[y * rowBytes + 1 + x] = rgba[y * width * 4 + x]!;
  }
  const blocks = Math.max(1, Math.ceil(raw.length / 65535));
  const zlib = new Uint8Array(2 + raw.length + blocks * 5 + 4);
  zlib[0] = 0x78;
  zlib[1] = 0x01;
  let offset = 2;
  for (let block = 0; block < blocks; block++) {
    const start = block * 65535;
    const length = Math.min(65535, raw.length - start);
    zlib[offset++] = block === blocks - 1 ? 1 : 0;
    zlib[offset++] = length & 0xff;
    zlib[offset++] = length >> 8;
    zlib[offset++] = ~length & 0xff;
    zlib[offset++] = (~length >> 8) & 0xff;
    zlib.set(raw.subarray(start, start + length), offset);
    offset += length;
  }
  let a = 1;
  let b = 0;
  for (let index = 0; index < raw.length; index++) {
    a = (a + raw[index]!) % 65521;
    b = (b + a) % 65521;
  }
  const adler = ((b << 16) | a) >>> 0;
  new DataView(zlib.buffer).setUint32(offset, adler);

  const ihdr = new Uint8Array(13);
  const header = new DataView(ihdr.buffer);
  header.setUint32(0, width);
  header.setUint32(4, height);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, deflate, no filter method, no interlace
  const chunks: Array<[string, Uint8Array]> = [['IHDR', ihdr], ['IDAT', zlib], ['IEND', new Uint8Array(0)]];
  const total = 8 + chunks.reduce((sum, [, data]) => sum + 12 + data.length, 0);
  const png = new Uint8Array(total);
  const view = new DataView(png.buffer);
  png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let position = 8;
  for (const [type, data] of chunks) {
    view.setUint32(position, data.length);
    for (let index = 0; index < 4; index++) png[position + 4 + index] = type.charCodeAt(index);
    png.set(data, position + 8);
    view.setUint32(position + 8 + data.length, crc32(png, position + 4, position + 8 + data.length));
    position += 12 + data.length;
  }
  return png;
}
