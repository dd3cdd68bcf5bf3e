import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { blobSource, bytesSource } from './byte-source';
import { encodeFloats } from './safetensors-dtype';
import { SafetensorsError } from './safetensors-error';
import { SafetensorsReader } from './safetensors-reader';
import { safetensorsBytes, serializeSafetensors } from './serialize-safetensors';

const fixture = join(dirname(fileURLToPath(import.meta.url)), '..', '__fixtures__', 'torch-dtypes.safetensors');

/** A file with the given raw JSON header and `dataBytes` zero bytes of data. */
function rawFile(header: unknown, dataBytes: number, headerLength?: number): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.byteLength + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength ?? json.byteLength), true);
  out.set(json, 8);
  return out;
}

async function openError(bytes: Uint8Array): Promise<SafetensorsError> {
  const error = await SafetensorsReader.open(bytesSource(bytes, 'bad.safetensors')).then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(SafetensorsError);
  return error as SafetensorsError;
}

describe('SafetensorsReader on a file PyTorch wrote', () => {
  const bytes = new Uint8Array(readFileSync(fixture));

  it('decodes F32, F16 and BF16 to the float32 values torch rounds them to', async () => {
    const reader = await SafetensorsReader.open(bytesSource(bytes, 'torch-dtypes.safetensors'));
    expect(reader.header.metadata).toEqual({ format: 'pt', written_by: 'make_safetensors_fixture.py' });
    for (const [stored, image] of [['x.f16', 'x.f16_as_f32'], ['x.bf16', 'x.bf16_as_f32']] as const) {
      const decoded = await reader.read(stored);
      const expected = await reader.read(image);
      expect(decoded.shape).toEqual([16, 16]);
      expect(decoded.data).toBeInstanceOf(Float32Array);
      expect(Array.from(decoded.data as Float32Array)).toEqual(Array.from(expected.data as Float32Array)); // bit-exact, incl. ±Inf, -0, subnormals
    }
    expect((await reader.read('x.f64')).data).toBeInstanceOf(Float64Array);
    expect(Array.from((await reader.read('x.f64')).data as Float64Array)).toEqual(Array.from((await reader.read('x.f32')).data as Float32Array).slice(0, 32));
    expect(Array.from((await reader.read('scalar.f32')).data as Float32Array)).toEqual([7.25]);
    expect((await reader.read('empty.f32')).shape).toEqual([0, 3]);
    const positions = await reader.read('embeddings.position_ids');
    expect(positions.dtype).toBe('I64');
    expect(Array.from(positions.data as BigInt64Array, Number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(Array.from((await reader.read('mask.bool')).data as Uint8Array)).toEqual([1, 0, 1]);
  });

  it('encodes float32 to F16 and BF16 bytes identical to torch .half() / .bfloat16()', async () => {
    const reader = await SafetensorsReader.open(bytesSource(bytes, 'torch-dtypes.safetensors'));
    const x = (await reader.read('x.f32')).data as Float32Array;
    expect(Array.from(encodeFloats(x, 'F16'))).toEqual(Array.from(await reader.readBytes('x.f16')));
    expect(Array.from(encodeFloats(x, 'BF16'))).toEqual(Array.from(await reader.readBytes('x.bf16')));
  });

  it('readFloat32 streams each float dtype in pieces that equal read(), with one read per piece; integers are refused', async () => {
    const ranges: number[] = [];
    const source = bytesSource(bytes, 'torch-dtypes.safetensors');
    const reader = await SafetensorsReader.open({ ...source, read: (offset, length) => (ranges.push(length), source.read(offset, length)) });
    for (const name of ['x.f32', 'x.f16', 'x.bf16', 'x.f64', 'scalar.f32']) {
      const whole = Array.from((await reader.read(name)).data as Float32Array | Float64Array, Math.fround);
      for (const chunkElements of [1, 7, 64, 1 << 20]) {
        const pieces: number[] = [];
        const starts: number[] = [];
        ranges.length = 0;
        await reader.readFloat32(name, (values, start) => {
          expect(values).toBeInstanceOf(Float32Array);
          expect(values.length).toBeLessThanOrEqual(chunkElements);
          starts.push(start);
          pieces.push(...values);
        }, { chunkElements });
        expect(pieces).toEqual(whole); // bit-exact, in order
        expect(starts).toEqual(Array.from({ length: Math.ceil(whole.length / chunkElements) }, (_, i) => i * chunkElements));
        expect(ranges.length).toBe(starts.length); // each piece is its own range: the whole tensor is never read at once
      }
    }
    let calls = 0;
    await reader.readFloat32('empty.f32', () => (calls += 1));
    expect(calls).toBe(0);
    await expect(reader.readFloat32('embeddings.position_ids', () => undefined)).rejects.toThrow(/torch-dtypes\.safetensors \(tensor "embeddings\.position_ids"\): expected a floating-point tensor .*got I64/);
    await expect(reader.readFloat32('nope', () => undefined)).rejects.toThrow(/tensor "nope"\): no such tensor/);
    await expect(reader.readFloat32('x.f32', () => undefined, { chunkElements: 0 })).rejects.toThrow(/chunkElements must be a positive integer; got 0/);
  });

  it('skips integer buffers on request and yields the rest in file order', async () => {
    const reader = await SafetensorsReader.open(blobSource(new Blob([bytes]), 'torch-dtypes.safetensors'));
    const names: string[] = [];
    for await (const tensor of reader.tensors({ skipIntegers: true })) names.push(tensor.name);
    expect(names).toEqual(reader.names.filter((name) => name !== 'embeddings.position_ids' && name !== 'mask.bool'));
    expect(names).toContain('x.f64');
    expect(reader.names).toContain('embeddings.position_ids');
  });
});

describe('serializeSafetensors round trips', () => {
  it('writes what it reads back: dtypes, shapes, order, metadata, 8-byte aligned data', async () => {
    const weight = Float32Array.from({ length: 12 }, (_, i) => (i - 5.5) / 3);
    const bytes = await safetensorsBytes({
      'encoder.weight': { shape: [3, 4], data: weight },
      'encoder.weight.f16': { shape: [3, 4], data: weight, dtype: 'F16' },
      'encoder.weight.bf16': { shape: [12], data: weight, dtype: 'BF16' },
      'embeddings.position_ids': { shape: [1, 3], bytes: new Uint8Array(new BigInt64Array([0n, 1n, 2n]).buffer), dtype: 'I64' },
    }, { format: 'pt' });
    const reader = await SafetensorsReader.open(bytesSource(bytes, 'round-trip'));
    expect(reader.header.dataStart % 8).toBe(0);
    expect(reader.names).toEqual(['encoder.weight', 'encoder.weight.f16', 'encoder.weight.bf16', 'embeddings.position_ids']);
    expect(reader.header.metadata).toEqual({ format: 'pt' });
    expect(Array.from((await reader.read('encoder.weight')).data as Float32Array)).toEqual(Array.from(weight));
    const half = (await reader.read('encoder.weight.f16')).data as Float32Array;
    const bfloat = (await reader.read('encoder.weight.bf16')).data as Float32Array;
    for (let i = 0; i < weight.length; i += 1) {
      expect(Math.abs(half[i]! - weight[i]!)).toBeLessThanOrEqual(Math.abs(weight[i]!) * 2 ** -11);
      expect(Math.abs(bfloat[i]! - weight[i]!)).toBeLessThanOrEqual(Math.abs(weight[i]!) * 2 ** -8);
    }
    expect(Array.from((await reader.read('embeddings.position_ids')).data as BigInt64Array)).toEqual([0n, 1n, 2n]);
  });

  it('does not copy F32 data: the chunk is a view of the caller array', async () => {
    const data = new Float32Array(1000);
    const { chunks } = await serializeSafetensors({ w: { shape: [1000], data } });
    expect(chunks[1]!.buffer).toBe(data.buffer);
  });

  it('rejects bad tensors naming the tensor', async () => {
    await expect(safetensorsBytes({ w: { shape: [2, 2], data: new Float32Array(3) } })).rejects.toThrow(/tensor "w".*shape \[2, 2\] has 4 elements but data has 3/);
    await expect(safetensorsBytes({ w: { shape: [2], data: new Float32Array(2), dtype: 'I32' as 'F32' } })).rejects.toThrow(/tensor "w".*F32, F16 or BF16/);
    await expect(safetensorsBytes({ w: { shape: [2], bytes: new Uint8Array(3), dtype: 'I16' } })).rejects.toThrow(/needs 4 bytes but bytes has 3/);
    await expect(safetensorsBytes({ w: { shape: [-1], data: new Float32Array(0) } })).rejects.toThrow(SafetensorsError);
  });
});

describe('SafetensorsReader validates the header', () => {
  const entry = (dtype: string, shape: number[], offsets: number[]) => ({ dtype, shape, data_offsets: offsets });

  it('names a truncated file', async () => {
    expect((await openError(new Uint8Array(5))).message).toMatch(/^bad\.safetensors: truncated: .*8-byte header length.*5 bytes/);
    const whole = await safetensorsBytes({ w: { shape: [4], data: new Float32Array(4) } });
    expect((await openError(whole.subarray(0, whole.byteLength - 1))).message).toMatch(/tensor "w".*run past the end of the data/);
  });

  it('names a header length past the end, and one over 100 MB', async () => {
    expect((await openError(rawFile({}, 0, 500))).message).toMatch(/header length 500 runs past the end of the file \(10 bytes/);
    expect((await openError(rawFile({}, 0, 2 ** 40))).message).toMatch(/header length 1099511627776 is over the 100000000-byte limit/);
  });

  it('names overlapping, out-of-range and uncovering offsets', async () => {
    expect((await openError(rawFile({ a: entry('F32', [2], [0, 8]), b: entry('F32', [2], [4, 12]) }, 12))).message)
      .toMatch(/tensor "b".*\[4, 12\] overlap tensor "a" \[0, 8\]/);
    expect((await openError(rawFile({ a: entry('F32', [2], [0, 8]) }, 4))).message).toMatch(/tensor "a".*run past the end of the data \(4 bytes/);
    expect((await openError(rawFile({ a: entry('F32', [1], [4, 8]) }, 8))).message).toMatch(/tensor "a".*bytes 0\.\.4 of the data uncovered/);
    expect((await openError(rawFile({ a: entry('F32', [1], [0, 4]) }, 12))).message).toMatch(/cover 4 bytes of data but the file holds 12/);
  });

  it('names an unknown dtype and a shape × dtype size mismatch', async () => {
    expect((await openError(rawFile({ w: entry('F12', [1], [0, 4]) }, 4))).message).toMatch(/tensor "w".*unknown dtype "F12"; expected one of BOOL, U8.*F8_E5M2/);
    expect((await openError(rawFile({ w: entry('BF16', [3, 2], [0, 8]) }, 8))).message)
      .toMatch(/tensor "w".*shape \[3, 2\] × BF16 \(2 bytes\) needs 12 bytes but data_offsets \[0, 8\] hold 8/);
    expect((await openError(rawFile({ w: entry('F32', [2 ** 52, 2 ** 52], [0, 8]) }, 8))).message).toMatch(/needs .* bytes but/);
  });

  it('names malformed JSON, entries and metadata', async () => {
    expect((await openError(rawFile('{"a": ', 0))).message).toMatch(/header is not valid UTF-8 JSON/);
    expect((await openError(rawFile('[1, 2]', 0))).message).toMatch(/header must be a JSON object; got an array/);
    expect((await openError(rawFile({ w: 3 }, 0))).message).toMatch(/tensor "w".*entry must be an object/);
    expect((await openError(rawFile({ w: entry('F32', [1.5], [0, 4]) }, 4))).message).toMatch(/shape must be an array of non-negative integers; got \[1\.5\]/);
    expect((await openError(rawFile({ w: entry('F32', [1], [4, 0]) }, 4))).message).toMatch(/end before they begin/);
    expect((await openError(rawFile({ __metadata__: { format: 1 } }, 0))).message).toMatch(/__metadata__\.format must be a string/);
    const utf8 = rawFile('{}', 0);
    utf8[8] = 0xff;
    expect((await openError(utf8)).message).toMatch(/not valid UTF-8 JSON/);
  });

  it('names a missing tensor', async () => {
    const reader = await SafetensorsReader.open(bytesSource(await safetensorsBytes({ a: { shape: [1], data: new Float32Array(1) } }), 'one.safetensors'));
    await expect(reader.read('b')).rejects.toThrow(/one\.safetensors \(tensor "b"\): no such tensor; the file has 1 \(a\)/);
  });
});
