import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SafetensorsReader } from '../safetensors/safetensors-reader';
import { safetensorsBytes } from '../safetensors/serialize-safetensors';
import { CheckpointSourceError } from './checkpoint-source';
import { httpRangeSource } from './http-range-source';

// A local server with and without Range support; it counts the bytes it sends.
let server: Server;
let origin: string;
let sent = 0;
let file: Uint8Array;
beforeAll(async () => {
  file = await safetensorsBytes({ big: { shape: [256, 256], data: Float32Array.from({ length: 65536 }, (_, i) => i) }, small: { shape: [3], data: new Float32Array([1, 2, 3]) } });
  server = createServer((request, response) => {
    if (request.url !== '/ranges/model.safetensors' && request.url !== '/plain/model.safetensors') return void response.writeHead(404, 'Not Found').end();
    const range = /^bytes=(\d+)-(\d+)$/.exec(request.headers.range ?? '');
    if (request.method === 'HEAD') return void response.writeHead(200, { 'content-length': file.byteLength }).end();
    if (range && request.url.startsWith('/ranges')) {
      const body = file.subarray(Number(range[1]), Number(range[2]) + 1);
      sent += body.byteLength;
      return void response.writeHead(206, { 'content-length': body.byteLength }).end(body);
    }
    response.writeHead(200, { 'content-length': file.byteLength });
    // In 16 KiB chunks, so a reader that stops early saves the rest.
    let offset = 0;
    const next = () => {
      if (offset >= file.byteLength || response.destroyed) return void response.end();
      const chunk = file.subarray(offset, offset + 16384);
      offset += chunk.byteLength;
      sent += chunk.byteLength;
      response.write(chunk, () => setTimeout(next, 2));
    };
    next();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('httpRangeSource', () => {
  it.each(['ranges', 'plain'])('reads a safetensors header and one tensor (%s server) without the whole file', async (kind) => {
    sent = 0;
    const reader = await SafetensorsReader.open(await httpRangeSource(`${origin}/${kind}/model.safetensors`));
    expect(reader.names).toEqual(['big', 'small']);
    // The header alone: a few hundred bytes by ranges; the first chunks only from a plain server.
    expect(sent).toBeLessThan(kind === 'ranges' ? 1024 : file.byteLength / 4);
    expect(Array.from((await reader.read('small')).data as Float32Array)).toEqual([1, 2, 3]);
    if (kind === 'ranges') expect(sent).toBeLessThan(1024);
    expect(Array.from(((await reader.read('big')).data as Float32Array).slice(65533))).toEqual([65533, 65534, 65535]);
    await reader.close();
  });

  it('a missing file names the URL and the status', async () => {
    const error = await httpRangeSource(`${origin}/nothing/model.safetensors`).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CheckpointSourceError);
    expect((error as CheckpointSourceError).status).toBe(404);
    expect((error as Error).message).toBe(`${origin}/nothing/model.safetensors: HTTP 404 Not Found`);
  });
});
