// The dates page trains its seq2seq model live in headless Chromium: the loss goes down, the
// alignment is redrawn, training stops and resumes, and a model saved to IndexedDB survives a reload.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { browserUnavailable, launchChromium } from '@heed/browser-testing';
import { openDemo, screenshot } from './open-page';

const skipReason = browserUnavailable();

const datesState = (page: Page) => page.evaluate(() => document.querySelector<HTMLElement>('#page-dates')?.dataset ?? {});

/**
 * Trains until `steps`, then presses Stop from inside the page (a MutationObserver on the step
 * counter), so the run stops at that step even while the page is busy training.
 */
async function trainUntil(page: Page, steps: number): Promise<void> {
  await page.evaluate((target) => {
    const section = document.querySelector<HTMLElement>('#page-dates')!;
    const observer = new MutationObserver(() => {
      if (Number(section.dataset.step) < target) return;
      observer.disconnect();
      document.querySelector<HTMLButtonElement>('#dates-train')!.click(); // Stop
    });
    observer.observe(section, { attributes: true, attributeFilter: ['data-step'] });
  }, steps);
  await page.click('#dates-train');
  await page.waitForFunction(
    (target) => {
      const section = document.querySelector<HTMLElement>('#page-dates')!;
      return Number(section.dataset.step) >= target && section.dataset.state === 'stopped';
    },
    steps,
    { timeout: 120_000 },
  );
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe.skipIf(skipReason !== undefined)('dates page in headless Chromium', () => {
  let browser: Browser;
  const url = inject('demoUrl');

  beforeAll(async () => {
    browser = await launchChromium({ webgpu: true });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('trains live so the loss goes down, stops, resumes, and survives a reload through IndexedDB', async () => {
    const { page, errors } = await openDemo(browser, url, '?backend=wasm#/dates');
    expect(await page.textContent('#dates-train')).toBe('Train');
    await trainUntil(page, 10);
    const first = await datesState(page);
    const losses: number[] = JSON.parse(first.losses!);
    expect(first.step).toBe('10');
    expect(losses).toHaveLength(10);
    expect(mean(losses.slice(-4))).toBeLessThan(mean(losses.slice(0, 4)) - 0.2);
    expect(await page.textContent('#dates-train')).toBe('Resume');
    expect(await page.locator('#dates-alignment rect.cell').count()).toBeGreaterThan(0);
    expect(await page.locator('#dates-curves canvas').count()).toBeGreaterThan(0);

    // Resume continues from the same step.
    await trainUntil(page, 12);
    expect((await datesState(page)).step).toBe('12');
    await screenshot(page, 'dates-trained');

    await page.click('#dates-save');
    await page.waitForFunction(() => document.querySelector('#dates-status')?.textContent?.startsWith('Saved at step'), undefined, { timeout: 30_000 });
    const saved = await datesState(page);
    // The entry tf.io's IndexedDB router wrote holds the heed format: config.json as the topology, model.safetensors as the weight data.
    const entry = await page.evaluate(
      () =>
        new Promise<{ format: unknown; family: unknown; bytes: number }>((resolve, reject) => {
          const open = indexedDB.open('tensorflowjs');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const get = open.result.transaction('models_store').objectStore('models_store').get('heed-demo-dates');
            get.onerror = () => reject(get.error);
            get.onsuccess = () => {
              const artifacts = (get.result as { modelArtifacts: { format: unknown; modelTopology: { family?: unknown }; weightData: ArrayBuffer } }).modelArtifacts;
              resolve({ format: artifacts.format, family: artifacts.modelTopology.family, bytes: artifacts.weightData.byteLength });
            };
          };
        }),
    );
    expect(entry).toMatchObject({ format: 'heed', family: 'seq2seq' });
    expect(entry.bytes).toBeGreaterThan(1000);

    await page.reload();
    await page.waitForFunction(() => document.body.dataset.page === 'dates', undefined, { timeout: 60_000 });
    expect((await datesState(page)).step).toBe('0');
    await page.click('#dates-load');
    await page.waitForFunction(() => (document.querySelector('#dates-status')?.textContent ?? '').includes('loaded from IndexedDB'), undefined, { timeout: 60_000 });
    const loaded = await datesState(page);
    expect(loaded.step).toBe(saved.step);
    expect(JSON.parse(loaded.losses!)).toEqual(JSON.parse(saved.losses!));
    expect(await page.getAttribute('#dates-alignment', 'data-step')).toBe(saved.step);
    expect(await page.textContent('#dates-train')).toBe('Resume');
    await screenshot(page, 'dates-loaded');

    // Leaving the page while it trains stops training and frees the model without errors.
    await page.click('#dates-train');
    await page.waitForFunction((from) => Number(document.querySelector<HTMLElement>('#page-dates')?.dataset.step) > from, Number(saved.step), { timeout: 60_000 });
    await page.click('nav a[data-page="playground"]');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#playground-weights')?.dataset.state === 'ready', undefined, { timeout: 30_000 });
    await page.waitForTimeout(500);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says so when there is nothing saved, and when the input is empty', async () => {
    const { page, errors } = await openDemo(browser, url, '?backend=wasm#/dates');
    await page.click('#dates-load');
    await page.waitForSelector('#dates-message:not([hidden])');
    expect(await page.textContent('#dates-message')).toContain('No saved dates model');
    await page.fill('#dates-input', '   ');
    await page.dispatchEvent('#dates-input', 'change');
    await page.waitForSelector('#dates-alignment .error');
    expect(await page.textContent('#dates-alignment')).toContain('Type a date');
    expect(errors).toEqual([]);
    await page.close();
  });
});
