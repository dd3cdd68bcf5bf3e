// Builds the demo once and serves dist/ for every e2e file (a build takes most of a minute on a
// small machine, so the files share it). Skipped, like the tests, when Chromium is missing.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { browserUnavailable, serveStatic } from '@heed/browser-testing';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the served build, e.g. `http://127.0.0.1:43123/`; empty when skipped. */
    demoUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  project.provide('demoUrl', '');
  if (browserUnavailable() !== undefined) return undefined;
  const appRoot = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, [fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url)), 'build', '--logLevel', 'error'], {
    cwd: appRoot,
    stdio: 'pipe',
  });
  const { server, url } = await serveStatic(fileURLToPath(new URL('../dist', import.meta.url)), {
    // cross-origin isolated, as a static host for the demo would be
    headers: { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' },
  });
  project.provide('demoUrl', url);
  return () => server.close();
}
