// Builds the e2e page once with Vite and serves it for the browser tests. Skipped, like the
// tests, when Chromium is missing.
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { browserUnavailable, serveStatic } from '@heed/browser-testing';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the served page, e.g. `http://127.0.0.1:43123/`; empty when skipped. */
    pageUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  project.provide('pageUrl', '');
  if (browserUnavailable() !== undefined) return undefined;
  const { build } = await import('vite');
  await build({ configFile: fileURLToPath(new URL('./vite.config.ts', import.meta.url)) });
  const { server, url } = await serveStatic(fileURLToPath(new URL('./dist', import.meta.url)));
  project.provide('pageUrl', url);
  return () => server.close();
}
