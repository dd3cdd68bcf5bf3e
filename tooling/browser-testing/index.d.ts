import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';

/** Path of Debian's Chromium (`/usr/bin/chromium`), or the HEED_CHROMIUM environment variable. */
export declare const CHROMIUM: string;

/**
 * @returns why browser tests cannot run here, or undefined when they can.
 * @example
 * ```ts
 * const skip = browserUnavailable(); // e.g. '/usr/bin/chromium not found (…)'
 * ```
 */
export declare function browserUnavailable(): string | undefined;

/**
 * Headless Chromium with the flags that work in this sandbox; each launch gets a fresh profile.
 * @param options.webgpu adds `--enable-unsafe-webgpu` (default false).
 * @example
 * ```ts
 * const browser = await launchChromium({ webgpu: true });
 * ```
 */
export declare function launchChromium(options?: { webgpu?: boolean }): Promise<Browser>;

/**
 * Serves `folder` on 127.0.0.1 at a free port; `url` ends with `/`.
 * @param options.headers extra response headers (e.g. COOP/COEP for cross-origin isolation).
 * @param options.htmlExtension serve `x.html` for `x`, as VitePress' hosts do.
 * @example
 * ```ts
 * const { url, server } = await serveStatic('dist', { htmlExtension: true });
 * server.close();
 * ```
 */
export declare function serveStatic(
  folder: string,
  options?: { headers?: Record<string, string>; htmlExtension?: boolean },
): Promise<{ url: string; server: Server }>;
