// The Generate page in headless Chromium on the shipped gpt-moby-dick (packages/models/weights/):
// greedy text equal to the continuation recorded in its results.json (which PyTorch's reference
// reproduced), tokens streamed one by one, the newest token's attention drawn (weights summing to
// 1, another layer/head drawing other weights), seeded sampling repeatable, bad controls named in
// the page; the same folder from a Hub-layout URL gives the same tokens, a BERT there is refused.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { browserUnavailable, launchChromium } from '@heed/browser-testing';
import { startHubServer, type HubServer } from './hub-server';
import { openDemo, screenshot } from './open-page';

const skipReason = browserUnavailable();
const WEIGHTS = fileURLToPath(new URL('../../../packages/models/weights/', import.meta.url));
const HF_FIXTURES = fileURLToPath(new URL('../../../packages/models/src/hf/__fixtures__/', import.meta.url));

interface Recorded {
  samples: { name: string; prompt: string; promptIds: number[]; newTokens: number[]; text: string }[];
  pytorch?: { greedyEqual: boolean };
}

type GenerateState = { state?: string; runs?: string; ids?: string; text?: string; steps?: string; attention?: string; ended?: string; model?: string };
const generateState = (page: Page): Promise<GenerateState> => page.evaluate(() => ({ ...document.querySelector<HTMLElement>('#page-generate')!.dataset }));

/** Clicks Generate and waits for the run to end (or fail); returns the page's state. */
async function generate(page: Page): Promise<GenerateState> {
  const runs = Number((await generateState(page)).runs ?? 0);
  await page.click('#gen-run');
  await page.waitForFunction(
    (before) => {
      const section = document.querySelector<HTMLElement>('#page-generate')!;
      return section.dataset.state === 'error' || Number(section.dataset.runs ?? 0) > before;
    },
    runs,
    { timeout: 120_000 },
  );
  return generateState(page);
}

async function waitReady(page: Page): Promise<void> {
  await page.waitForFunction(() => ['ready', 'error'].includes(document.querySelector<HTMLElement>('#page-generate')?.dataset.state ?? ''), undefined, { timeout: 60_000 });
}

describe.skipIf(skipReason !== undefined)('Generate page in headless Chromium', () => {
  let browser: Browser;
  let server: HubServer | undefined;
  let hub = '';
  let recorded: Recorded;
  const url = inject('demoUrl');

  beforeAll(async () => {
    recorded = JSON.parse(await readFile(join(WEIGHTS, 'gpt-moby-dick', 'results.json'), 'utf8')) as Recorded;
    browser = await launchChromium({ webgpu: true });
    server = await startHubServer((name) => (name === 'gpt-moby-dick' ? WEIGHTS : HF_FIXTURES));
    hub = server.hub;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('streams the shipped model\'s greedy continuation (the recorded one) with the newest token\'s attention drawn live', async () => {
    const greedy = recorded.samples.find((sample) => sample.name === 'greedy')!;
    expect(recorded.pytorch?.greedyEqual).toBe(true); // the recorded tokens are PyTorch's too
    const { page, errors } = await openDemo(browser, url, '?backend=wasm#/generate');
    await waitReady(page);
    expect((await generateState(page)).state, (await page.textContent('#gen-message')) ?? '').toBe('ready');
    expect(await page.textContent('#gen-status')).toContain('gpt-moby-dick: GPT-2, 4 layers × 4 heads');
    expect(await page.textContent('#gen-results')).toMatch(/validation perplexity \d+\.\d\d/);
    await page.fill('#gen-prompt', greedy.prompt);
    await page.selectOption('#gen-mode', 'greedy');
    await page.fill('#gen-max-new-tokens', '20');
    // Count how often the streamed text changes while the run goes on.
    await page.evaluate(() => {
      const seen = new Set<string>();
      const output = document.querySelector('#gen-output .gen-new-text')!;
      new MutationObserver(() => seen.add(output.textContent ?? '')).observe(output, { childList: true, characterData: true, subtree: true });
      (window as unknown as { streamed: Set<string> }).streamed = seen;
    });
    const state = await generate(page);
    expect(state.state, (await page.textContent('#gen-message')) ?? '').toBe('ready');
    const expected = greedy.newTokens.slice(0, 20);
    const end = expected.indexOf(0); // <|endoftext|> (id 0) stops the page's run
    expect(JSON.parse(state.ids!)).toEqual(end >= 0 ? expected.slice(0, end) : expected);
    expect(greedy.text.startsWith(state.text!.replace(/\uFFFD+$/u, ''))).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { streamed: Set<string> }).streamed.size)).toBeGreaterThan(5); // drawn token by token, not at the end
    const steps = Number(state.steps);
    // The last step's query saw the prompt and every new token before the last one.
    const weights = JSON.parse(state.attention!) as number[];
    expect(weights).toHaveLength(greedy.promptIds.length + steps - 1);
    expect(Math.abs(weights.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-4);
    expect(await page.locator('#gen-attention .heed-token').count()).toBe(weights.length);
    expect(await page.locator('#gen-history svg rect').count()).toBeGreaterThanOrEqual(steps * weights.length); // one cell per (new token, token)
    await screenshot(page, 'generate-greedy');
    // Another layer and head: other weights, same tokens.
    await page.selectOption('#gen-layer', '0');
    await page.selectOption('#gen-head', '1');
    const other = JSON.parse((await generateState(page)).attention!) as number[];
    expect(other).toHaveLength(weights.length);
    expect(Math.max(...other.map((value, index) => Math.abs(value - weights[index]!)))).toBeGreaterThan(1e-3);
    // An earlier step: its query saw fewer tokens.
    await page.evaluate(() => {
      const slider = document.querySelector<HTMLInputElement>('#gen-step')!;
      slider.value = '0';
      slider.dispatchEvent(new Event('input'));
    });
    expect(JSON.parse((await generateState(page)).attention!) as number[]).toHaveLength(greedy.promptIds.length);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('samples repeatably per seed, and names a bad control in the page', async () => {
    const { page, errors } = await openDemo(browser, url, '?backend=wasm#/generate');
    await waitReady(page);
    await page.selectOption('#gen-mode', 'sample');
    await page.fill('#gen-max-new-tokens', '12');
    await page.fill('#gen-seed', '3');
    const first = await generate(page);
    const again = await generate(page);
    expect(first.state).toBe('ready');
    expect(again.ids).toBe(first.ids);
    await page.fill('#gen-seed', '4');
    expect((await generate(page)).ids).not.toBe(first.ids);
    await page.fill('#gen-temperature', '0');
    await page.click('#gen-run');
    await page.waitForSelector('#gen-message:not([hidden])');
    expect(await page.textContent('#gen-message')).toBe('temperature: expected a number > 0; got "0"');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('loads the same model from a Hub-layout URL (same greedy tokens) and refuses a BERT checkpoint', async () => {
    const { page } = await openDemo(browser, url, '?backend=wasm#/generate');
    await waitReady(page);
    await page.selectOption('#gen-mode', 'greedy');
    await page.fill('#gen-max-new-tokens', '10');
    const shipped = await generate(page);
    await page.fill('#gen-url', `${hub}/gpt-moby-dick/resolve/main`);
    await page.click('#gen-load');
    await page.waitForFunction((location) => document.querySelector<HTMLElement>('#page-generate')?.dataset.model === location, `${hub}/gpt-moby-dick/resolve/main`, { timeout: 60_000 });
    await waitReady(page);
    expect(await page.textContent('#gen-status')).toContain(`${hub}/gpt-moby-dick/resolve/main: GPT-2`);
    expect((await generate(page)).ids).toBe(shipped.ids);
    await page.fill('#gen-url', `${hub}/bert-seq-cls-f32/resolve/main`);
    await page.click('#gen-load');
    await page.waitForSelector('#gen-message:not([hidden])', { timeout: 60_000 });
    expect(await page.textContent('#gen-message')).toBe(`${hub}/bert-seq-cls-f32/resolve/main: expected a GPT-2 causal language model (architectures ["GPT2LMHeadModel"] in config.json); got BertForSequenceClassification`);
    expect(await page.isDisabled('#gen-run')).toBe(true);
    await page.click('#gen-shipped');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#page-generate')?.dataset.state === 'ready', undefined, { timeout: 60_000 });
    expect((await generate(page)).ids).toBe(shipped.ids);
    await page.close();
  });
});
