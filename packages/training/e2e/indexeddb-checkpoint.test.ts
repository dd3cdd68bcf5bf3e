// Checkpoints in a real browser's IndexedDB (headless Chromium): a save writes a new key then
// swaps a pointer, a save that dies half way leaves the previous checkpoint loadable, and after a
// page reload the resumed run reproduces the uninterrupted run's losses bit for bit.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { browserUnavailable, launchChromium } from '@heed/browser-testing';

const skipReason = browserUnavailable();
if (skipReason) console.warn(`[heed] skipping browser tests: ${skipReason}`);

const RUN = 'indexeddb://heed-e2e-run';
const KEY = /^indexeddb:\/\/heed-e2e-run@[\da-z]+-[\da-z]+$/;

describe.skipIf(skipReason !== undefined)('indexeddb:// checkpoints in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(inject('pageUrl'));
    expect(await page.evaluate(() => window.heedTraining.ready)).toBe('cpu');
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('saves atomically, survives failed saves, and resumes after a reload to the uninterrupted losses', async () => {
    const uninterrupted = await page.evaluate(() => window.heedTraining.uninterrupted());
    expect(uninterrupted).toHaveLength(24);

    const run = await page.evaluate(() => window.heedTraining.trainSaveAndFail());
    expect(run.savedEpochs).toEqual([0, 1]);
    expect(run.losses).toEqual(uninterrupted.slice(0, 12));
    // Each save wrote a new key and swapped the pointer to it; the second removed the first key.
    const [first, second] = run.afterEach;
    for (const after of [first!, second!]) {
      expect(after.pointer).toMatch(KEY);
      expect(after.keys).toEqual([RUN, after.pointer].sort());
    }
    expect(second!.pointer).not.toBe(first!.pointer);
    const live = second!.pointer!;

    // A save that throws while writing the new key's weights: rejected, pointer unchanged. tfjs
    // had written the new key's info record, so a half-written key is listed beside the live one.
    expect(run.weightsCrash).toMatch(/^simulated crash while writing heed-e2e-run@/);
    expect(run.afterWeightsCrash.pointer).toBe(live);
    expect(run.afterWeightsCrash.keys).toHaveLength(3);
    // A save that throws while writing the pointer (the new key is complete): pointer unchanged.
    expect(run.pointerCrash).toBe('simulated crash while writing heed-e2e-run');
    expect(run.afterPointerCrash.pointer).toBe(live);
    expect(run.afterPointerCrash.keys).toHaveLength(4);

    // A reload forgets everything but IndexedDB. The checkpoint loads with the weights and state
    // of the last good save (epoch 2), not the failed ones (epoch 3).
    await page.reload();
    expect(await page.evaluate(() => window.heedTraining.ready)).toBe('cpu');
    const resumed = await page.evaluate(() => window.heedTraining.resume());
    expect(resumed.before).not.toEqual(run.saved.weights);
    expect(resumed.loaded).toEqual(run.saved);
    expect(resumed.loaded.state).toMatchObject({ epoch: 2, step: 12, batch: 0 });
    expect([...run.losses, ...resumed.losses]).toEqual(uninterrupted); // bit-identical
    expect(resumed.grew).toBe(0); // optimizer slots existed after load: training added no tensors
    // The next good save swaps to a new key and removes every other one, stale copies included.
    expect(resumed.afterSave.pointer).toMatch(KEY);
    expect(resumed.afterSave.pointer).not.toBe(live);
    expect(resumed.afterSave.keys).toEqual([RUN, resumed.afterSave.pointer].sort());
    expect(errors).toEqual([]);
  });

  it('a mid-epoch checkpoint (everySteps) in IndexedDB resumes after a crash to the uninterrupted losses', async () => {
    const uninterrupted = await page.evaluate(() => window.heedTraining.uninterrupted());
    const run = await page.evaluate(() => window.heedTraining.crashAndResumeMidEpoch());
    expect(run.error).toBe('simulated crash at step 10');
    expect(run.savedSteps).toEqual([4, 8]);
    expect(run.beforeCrash).toEqual(uninterrupted.slice(0, 9)); // the crash hook runs before step 10's loss is recorded
    // Step 8 is after batch 1 of epoch 1 (6 batches per epoch): the resume redraws that epoch's order.
    expect(run.state).toMatchObject({ epoch: 1, step: 8, batch: 2 });
    expect([...uninterrupted.slice(0, 8), ...run.losses]).toEqual(uninterrupted);
    expect(errors).toEqual([]);
  });
});
