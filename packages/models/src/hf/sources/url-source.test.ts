import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safetensorsBytes } from '../safetensors/serialize-safetensors';
import { CheckpointSourceError, type DownloadProgress } from './checkpoint-source';
import { openCheckpointWeights } from './open-checkpoint-weights';
import { urlSource, type ResponseCache } from './url-source';

/** A Cache API stand-in for Node: stores each response's bytes and headers, hands out fresh copies. */
class MemoryCache implements ResponseCache {
  readonly entries = new Map<string, { body: ArrayBuffer; headers: [string, string][] }>();
  async match(request: string): Promise<Response | undefined> {
    const entry = this.entries.get(request);
    return entry ? new Response(entry.body.slice(0), { headers: entry.headers }) : undefined;
  }
  async put(request: string, response: Response): Promise<void> {
    this.entries.set(request, { body: await response.arrayBuffer(), headers: [...response.headers] });
  }
}

// A static server on 127.0.0.1 laid out like the Hub: /<owner>/<name>/resolve/main/<file>.
const files = new Map<string, Uint8Array>();
const requests: string[] = [];
let server: Server;
let origin: string;
beforeAll(async () => {
  const weights = await safetensorsBytes({
    'bert.embeddings.word_embeddings.weight': { shape: [64, 16], data: Float32Array.from({ length: 1024 }, (_, i) => Math.sin(i)) },
    'bert.pooler.dense.bias': { shape: [16], data: new Float32Array(16).fill(0.25), dtype: 'BF16' },
  }, { format: 'pt' });
  files.set('/heed/bert-tiny/resolve/main/config.json', new TextEncoder().encode('{"model_type": "bert", "hidden_size": 16}'));
  files.set('/heed/bert-tiny/resolve/main/model.safetensors', weights);
  files.set('/heed/sharded/resolve/main/model.safetensors.index.json', new TextEncoder().encode(JSON.stringify({ weight_map: { a: 'model-00001-of-00001.safetensors' } })));
  files.set('/heed/sharded/resolve/main/model-00001-of-00001.safetensors', await safetensorsBytes({ a: { shape: [2], data: new Float32Array([1, 2]) } }));
  server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    if (request.url === '/broken/resolve/main/config.json') {
      response.writeHead(500, 'Internal Server Error').end();
      return;
    }
    const body = files.get(request.url ?? '');
    if (!body) {
      response.writeHead(404, 'Not Found').end('Entry not found');
      return;
    }
    const chunked = request.url?.startsWith('/chunked/'); // no content-length, as a server streaming the file sends it
    response.writeHead(200, { ...(chunked ? {} : { 'content-length': body.byteLength }), 'content-type': 'application/octet-stream' });
    if (request.method === 'HEAD') return void response.end();
    // Send in two halves so progress reports more than once.
    const half = Math.floor(body.byteLength / 2);
    response.write(body.subarray(0, half), () => setTimeout(() => response.end(body.subarray(half)), 5));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('urlSource (a local server laid out like the Hub)', () => {
  it('downloads config and weights with progress, then reads them from the cache on a second visit', async () => {
    const cache = new MemoryCache();
    const progress: DownloadProgress[] = [];
    const source = urlSource(`${origin}/heed/bert-tiny/resolve/main/`, { cache, onProgress: (report) => progress.push(report) });
    expect(JSON.parse(await source.readText('config.json'))).toEqual({ model_type: 'bert', hidden_size: 16 });
    const weights = await openCheckpointWeights(source);
    expect(Array.from((await weights.read('bert.pooler.dense.bias')).data as Float32Array)).toEqual(new Array(16).fill(0.25));
    expect(((await weights.read('bert.embeddings.word_embeddings.weight')).data as Float32Array)[3]).toBeCloseTo(Math.sin(3), 6);
    const size = files.get('/heed/bert-tiny/resolve/main/model.safetensors')!.byteLength;
    const weightReports = progress.filter((report) => report.file === 'model.safetensors');
    expect(weightReports.length).toBeGreaterThanOrEqual(2);
    expect(weightReports.at(-1)).toEqual({ file: 'model.safetensors', loaded: size, total: size, cached: false });
    expect(weightReports.map((report) => report.loaded)).toEqual([...weightReports.map((report) => report.loaded)].sort((a, b) => a - b));
    expect(requests.filter((line) => line.includes('/heed/bert-tiny/'))).toEqual([
      'GET /heed/bert-tiny/resolve/main/config.json',
      'HEAD /heed/bert-tiny/resolve/main/model.safetensors',
      'GET /heed/bert-tiny/resolve/main/model.safetensors',
    ]);
    // Second visit: a new source over the same cache makes no request at all.
    requests.length = 0;
    const again = urlSource(`${origin}/heed/bert-tiny/resolve/main`, { cache, onProgress: (report) => progress.push(report) });
    expect(JSON.parse(await again.readText('config.json')).model_type).toBe('bert');
    const cachedWeights = await openCheckpointWeights(again);
    expect(cachedWeights.names).toEqual(['bert.embeddings.word_embeddings.weight', 'bert.pooler.dense.bias']);
    expect(requests).toEqual([]);
    expect(progress.at(-1)).toEqual({ file: 'model.safetensors', loaded: size, total: size, cached: true });
  });

  it('reads a response without content-length (chunked) whole', async () => {
    files.set('/chunked/resolve/main/config.json', files.get('/heed/bert-tiny/resolve/main/config.json')!);
    expect(await urlSource(`${origin}/chunked/resolve/main`, { cache: false }).readText('config.json')).toBe('{"model_type": "bert", "hidden_size": 16}');
  });

  it('reads a sharded checkpoint through its index', async () => {
    const weights = await openCheckpointWeights(urlSource(`${origin}/heed/sharded/resolve/main`, { cache: false }));
    expect(Array.from((await weights.read('a')).data as Float32Array)).toEqual([1, 2]);
  });

  it('names the file and the HTTP status of a 404 or a server error, and an unreachable host', async () => {
    const missing = urlSource(`${origin}/heed/nothing/resolve/main`, { cache: false });
    const error = await missing.readText('config.json').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CheckpointSourceError);
    expect((error as CheckpointSourceError).status).toBe(404);
    expect((error as Error).message).toBe(`${origin}/heed/nothing/resolve/main/config.json: HTTP 404 Not Found`);
    expect(await missing.has('tokenizer.json')).toBe(false);
    await expect(openCheckpointWeights(missing)).rejects.toThrow(/resolve\/main: holds neither model\.safetensors nor model\.safetensors\.index\.json/);
    await expect(urlSource(`${origin}/broken/resolve/main`, { cache: false }).readText('config.json')).rejects.toThrow(/broken\/resolve\/main\/config\.json: HTTP 500 Internal Server Error/);
    // A port nobody listens on: bind one, note it, close it.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(urlSource(`http://127.0.0.1:${port}/x/resolve/main`, { cache: false }).readText('config.json'))
      .rejects.toThrow(new RegExp(`http://127\\.0\\.0\\.1:${port}/x/resolve/main/config\\.json: unreachable \\(ECONNREFUSED\\)`));
  });
});
