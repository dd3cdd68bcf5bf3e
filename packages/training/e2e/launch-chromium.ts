import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`, as .ci/run does); never a downloaded browser. */
export const CHROMIUM = process.env.HEED_CHROMIUM ?? '/usr/bin/chromium';

/** @returns why browser tests cannot run here, or undefined when they can. */
export function browserUnavailable(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} not found (apt-get install chromium, or set HEED_CHROMIUM)`;
}

/** Headless Chromium with the flags that work in this sandbox; each launch gets a fresh profile (empty IndexedDB). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
}
