// Test-only: a static server on 127.0.0.1 laid out like the Hugging Face Hub
// (`/heed/<name>/resolve/main/<file>`), with the CORS headers a page on another origin needs.
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface HubServer {
  /** `http://127.0.0.1:<port>/heed`: a checkpoint's base URL is `${hub}/<name>/resolve/main`. */
  readonly hub: string;
  close(): Promise<void>;
}

/**
 * Serves `<folderOf(name)>/<name>/<file>` at `/heed/<name>/resolve/main/<file>` (404 otherwise);
 * `onRequest` sees every request first.
 *
 * @example
 * ```ts
 * const { hub, close } = await startHubServer(() => HF_FIXTURES);
 * // the page loads `${hub}/bert-seq-cls-f32/resolve/main`
 * await close();
 * ```
 */
export async function startHubServer(folderOf: (name: string) => string, onRequest?: (request: IncomingMessage) => void): Promise<HubServer> {
  const cors = { 'access-control-allow-origin': '*', 'cross-origin-resource-policy': 'cross-origin' };
  const server = createServer((request, response) => {
    void (async () => {
      onRequest?.(request);
      const match = /^\/heed\/([\w.-]+)\/resolve\/main\/([\w.-]+)$/.exec(request.url ?? '');
      const path = match ? join(folderOf(match[1]!), match[1]!, match[2]!) : '';
      const info = match ? await stat(path).catch(() => undefined) : undefined;
      if (!info?.isFile()) return void response.writeHead(404, 'Not Found', cors).end('Entry not found');
      response.writeHead(200, { ...cors, 'content-length': info.size, 'content-type': 'application/octet-stream' });
      response.end(request.method === 'HEAD' ? undefined : await readFile(path));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    hub: `http://127.0.0.1:${(server.address() as AddressInfo).port}/heed`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
