// Test-only: a static server on 127.0.0.1 laid out like the Hugging Face Hub
// (`/<owner>/<name>/resolve/main/<file>`), serving checkpoint folders, with HEAD and Range support.
// It records what it sent, so a test can tell a header read from a download.
import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HF_FIXTURES = fileURLToPath(new URL('../../../../packages/models/src/hf/__fixtures__/', import.meta.url));
export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface HubServer {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** The base URL of a fixture checkpoint: `<origin>/heed/<name>/resolve/main`. */
  base(name: string): string;
  /** Bytes sent per file path since the last reset. */
  readonly sent: Map<string, number>;
  close(): Promise<void>;
}

/** Serves `HF_FIXTURES/<name>/<file>` at `/heed/<name>/resolve/main/<file>`; `/broken/…` answers 500. */
export async function startHubServer(): Promise<HubServer> {
  const sent = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    void (async () => {
      const match = /^\/heed\/([\w.-]+)\/resolve\/main\/([\w.-]+)$/.exec(request.url ?? '');
      if ((request.url ?? '').startsWith('/broken/')) return void response.writeHead(500, 'Internal Server Error').end();
      const path = match ? join(HF_FIXTURES, match[1]!, match[2]!) : '';
      const info = match ? await stat(path).catch(() => undefined) : undefined;
      if (!info?.isFile()) return void response.writeHead(404, 'Not Found').end('Entry not found');
      if (request.method === 'HEAD') return void response.writeHead(200, { 'content-length': info.size, 'accept-ranges': 'bytes' }).end();
      const body = await readFile(path);
      const range = /^bytes=(\d+)-(\d+)$/.exec(request.headers.range ?? '');
      const part = range ? body.subarray(Number(range[1]), Number(range[2]) + 1) : body;
      sent.set(match![2]!, (sent.get(match![2]!) ?? 0) + part.byteLength);
      response.writeHead(range ? 206 : 200, { 'content-length': part.byteLength }).end(part);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    base: (name) => `${origin}/heed/${name}/resolve/main`,
    sent,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Runs the built CLI without blocking this process (the server above must keep answering). */
export function runHeed(args: readonly string[], options: { maxBuffer?: number } = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}
