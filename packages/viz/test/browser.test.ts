// Browser checks in headless Chromium: the canvas renderers paint what the shared scene says,
// the DOM and uPlot entry points work, and every visualization is written to .tmp/ as SVG and
// PNG (SVG as Chromium renders it, and the canvas rendering) for a human to look at.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attentionHeadsGridSvg } from '../src/attention-heads-grid';
import { attentionHeatmapSvg } from '../src/attention-heatmap';
import { base64 } from '../src/base64';
import { headViewSvg } from '../src/head-view';
import { patchAttentionOverlaySvg } from '../src/patch-attention-overlay';
import { encodePng } from '../src/png';
import { toRgba } from '../src/raster-image';
import { tokenHighlightSvg } from '../src/token-highlight';
import { tokenHighlightHtml } from '../src/token-highlight-html';
import { trainingCurvesSvg } from '../src/training-curves';
import { browserUnavailable, bundle, launch, vizPage } from './browser';
import * as samples from './samples';
import type * as VizModule from '../src/index';

type Viz = typeof VizModule;

const TMP = fileURLToPath(new URL('../.tmp/', import.meta.url));
const skip = browserUnavailable();

/** Typed arrays → plain arrays, so options cross into the page as JSON. */
const plain = (value: unknown): unknown =>
  ArrayBuffer.isView(value)
    ? Array.from(value as unknown as ArrayLike<number>)
    : Array.isArray(value)
      ? value.map(plain)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, plain(inner)]))
        : value;

describe.skipIf(skip !== undefined)('in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    mkdirSync(TMP, { recursive: true });
    const [script, launched] = await Promise.all([bundle(), launch()]);
    browser = launched;
    const css = readFileSync(fileURLToPath(new URL('../node_modules/uplot/dist/uPlot.min.css', import.meta.url)), 'utf8');
    page = await vizPage(browser, script, css);
  });
  afterAll(async () => {
    await browser?.close();
  });

  const errors = () => (page as Page & { errors: string[] }).errors;

  it('writes every visualization as SVG and PNG to .tmp/ (SVG rendering and canvas rendering)', async () => {
    const svgs: Record<string, string> = {
      'heatmap': attentionHeatmapSvg(samples.heatmap),
      'heatmap-causal': attentionHeatmapSvg({
        weights: samples.tokens.map((_, q) => samples.tokens.map((_, k) => (k <= q ? 1 / (q + 1) : 0))),
        masked: samples.tokens.map((_, q) => samples.tokens.map((_, k) => k > q)),
        rowLabels: samples.tokens,
        columnLabels: samples.tokens,
        title: 'Causal self-attention',
      }),
      'heads-grid': attentionHeadsGridSvg({ ...samples.heatmap, showValues: false, cellSize: 14 }),
      'head-view': headViewSvg(samples.headView),
      'token-highlight': tokenHighlightSvg(samples.highlight),
      'patch-overlay': patchAttentionOverlaySvg(samples.overlay),
      'patch-overlay-spotlight': patchAttentionOverlaySvg({ ...samples.overlay, mode: 'spotlight', opacity: 0.85 }),
      'training-curves': trainingCurvesSvg(samples.curves()),
    };
    const canvasRenderers: Record<string, [string, unknown]> = {
      'heatmap': ['renderAttentionHeatmapToCanvas', samples.heatmap],
      'head-view': ['renderHeadViewToCanvas', samples.headView],
      'token-highlight': ['renderTokenHighlightToCanvas', samples.highlight],
      'patch-overlay': ['renderPatchAttentionOverlayToCanvas', samples.overlay],
      'training-curves': ['renderTrainingCurvesToCanvas', samples.curves()],
    };
    for (const [name, svg] of Object.entries(svgs)) {
      writeFileSync(`${TMP}${name}.svg`, svg);
      await page.setContent(`<!doctype html><body style="margin:0">${svg}</body>`);
      await page.locator('svg').first().screenshot({ path: `${TMP}${name}.svg.png` });
    }
    await page.setContent('<!doctype html><body style="margin:0"><canvas></canvas></body>');
    for (const [name, [renderer, options]] of Object.entries(canvasRenderers)) {
      await page.evaluate(
        async ([fn, opts]) => {
          const viz = (window as unknown as { heedViz: Record<string, (canvas: HTMLCanvasElement, options: unknown, draw: unknown) => unknown> }).heedViz;
          await viz[fn as string]!(document.querySelector('canvas')!, opts, { pixelRatio: 1 });
        },
        [renderer, plain(options)] as const,
      );
      await page.locator('canvas').screenshot({ path: `${TMP}${name}.canvas.png` });
    }
    writeFileSync(`${TMP}token-highlight.html`, `<!doctype html><meta charset="utf-8"><body style="font-family:sans-serif;max-width:40em">${tokenHighlightHtml(samples.highlight)}</body>`);
    expect(errors()).toEqual([]);
  });

  it('paints heatmap cells on canvas in the colors of the shared scene', async () => {
    await page.setContent('<!doctype html><body style="margin:0"><canvas></canvas></body>');
    const mismatches = await page.evaluate((options) => {
      const viz = (window as unknown as { heedViz: Viz }).heedViz;
      const canvas = document.querySelector('canvas')!;
      const scene = viz.renderAttentionHeatmapToCanvas(canvas, { ...(options as object), showValues: false } as never, { pixelRatio: 1 });
      const context = canvas.getContext('2d')!;
      const bad: string[] = [];
      let cells = 0;
      for (const shape of scene.shapes) {
        if (shape.kind !== 'rect' || shape.className !== 'cell') continue;
        cells++;
        const [r, g, b] = context.getImageData(Math.floor(shape.x + 3), Math.floor(shape.y + 3), 1, 1).data;
        const expected = shape.fill.match(/\d+/g)!.map(Number);
        if (Math.abs(r! - expected[0]!) > 2 || Math.abs(g! - expected[1]!) > 2 || Math.abs(b! - expected[2]!) > 2) bad.push(`${shape.title}: ${r},${g},${b} vs ${shape.fill}`);
      }
      return { bad, cells, tooltip: viz.hitTest(scene, (scene.shapes.find((s) => s.kind === 'rect' && s.className === 'cell') as { x: number }).x + 1, 200)?.title ?? null };
    }, plain(samples.heatmap));
    expect(mismatches.cells).toBe(64);
    expect(mismatches.bad).toEqual([]);
  });

  it('draws a patch overlay from an image URL, and rejects an image that fails to load', async () => {
    const rgba = toRgba('test', samples.overlay.image as { width: number; height: number; pixels: Float32Array });
    const url = `data:image/png;base64,${base64(encodePng(rgba, 28, 28))}`;
    await page.setContent('<!doctype html><body style="margin:0"><canvas></canvas></body>');
    const result = await page.evaluate(
      async ([imageUrl, weights]) => {
        const viz = (window as unknown as { heedViz: Viz }).heedViz;
        const canvas = document.querySelector('canvas')!;
        await viz.renderPatchAttentionOverlayToCanvas(canvas, { image: { url: imageUrl as string, width: 28, height: 28 }, weights: weights as number[], opacity: 0 }, { pixelRatio: 1 });
        // opacity 0: only the image shows. Pixel (row 6, column 14) of the image is on the 7's bar (white).
        const scale = 280 / 28;
        const [bar] = canvas.getContext('2d')!.getImageData(8 + 14 * scale + 5, 8 + 6 * scale + 5, 1, 1).data;
        const [background] = canvas.getContext('2d')!.getImageData(8 + 2 * scale, 8 + 26 * scale, 1, 1).data;
        let failure = '';
        await viz.renderPatchAttentionOverlayToCanvas(canvas, { image: { url: 'data:image/png;base64,AAAA', width: 2, height: 2 }, weights: [1] }).catch((error: Error) => (failure = error.message));
        return { bar, background, failure };
      },
      [url, Array.from(samples.overlay.weights as Float32Array)] as const,
    );
    expect(result.bar).toBeGreaterThan(200);
    expect(result.background).toBeLessThan(30);
    expect(result.failure).toMatch(/could not load image\.url/);
  });

  it('focuses the head view on the hovered query token and shows tooltips', async () => {
    await page.setContent('<!doctype html><body style="margin:0"><canvas></canvas></body>');
    const seen = await page.evaluate((options) => {
      const viz = (window as unknown as { heedViz: Viz }).heedViz;
      const canvas = document.querySelector('canvas')!;
      const hover = viz.attachHeadViewHover(canvas, options as never, { pixelRatio: 1 });
      const edges = () => hover.scene.shapes.filter((shape) => shape.className === 'edge').length;
      const before = edges();
      const box = hover.scene.shapes.find((shape) => shape.className === 'query-box' && shape.kind === 'rect' && shape.data?.query === 3) as { x: number; y: number; height: number };
      canvas.dispatchEvent(new MouseEvent('mousemove', { clientX: box.x + 3, clientY: box.y + box.height / 2, bubbles: true }));
      const focused = { focus: hover.focus, edges: edges(), title: canvas.title };
      canvas.dispatchEvent(new MouseEvent('mouseleave'));
      return { before, focused, after: { focus: hover.focus ?? null, edges: edges() }, point: [box.x + 3, box.y + box.height / 2] as const };
    }, plain(samples.headView));
    expect(seen.focused.focus).toBe(3);
    expect(seen.focused.title).toBe('sat (query 3)');
    expect(seen.focused.edges).toBeGreaterThan(0);
    expect(seen.focused.edges).toBeLessThan(seen.before);
    expect(seen.after).toEqual({ focus: null, edges: seen.before });
    await page.mouse.move(seen.point[0], seen.point[1]);
    await page.locator('canvas').screenshot({ path: `${TMP}head-view-focus.canvas.png` });
  });

  it('renders token highlights into the DOM as escaped, titled spans', async () => {
    await page.setContent('<!doctype html><body><div id="why"></div></body>');
    const found = await page.evaluate(() => {
      const viz = (window as unknown as { heedViz: Viz }).heedViz;
      const spans = viz.renderTokenHighlight(document.querySelector('#why')!, { tokens: ['<img src=x onerror=alert(1)>', 'ok'], scores: [0.9, 0.1] });
      return { count: spans.length, images: document.querySelectorAll('img').length, title: spans[0]!.title, text: spans[0]!.textContent, background: spans[0]!.style.backgroundColor };
    });
    expect(found).toMatchObject({ count: 2, images: 0, title: '<img src=x onerror=alert(1)>: 0.900' });
    expect(found.text).toContain('<img src=x onerror=alert(1)>');
    expect(found.background).toMatch(/^rgb\(/);
  });

  it('live-updates a uPlot training chart as metrics are pushed', async () => {
    await page.setContent('<!doctype html><body style="margin:0;background:#fff"><div id="curves"></div></body>');
    await page.addStyleTag({ content: readFileSync(fileURLToPath(new URL('../node_modules/uplot/dist/uPlot.min.css', import.meta.url)), 'utf8') });
    const counts = await page.evaluate(async () => {
      const viz = (window as unknown as { heedViz: Viz }).heedViz;
      const chart = viz.createTrainingCurvesChart(document.querySelector('#curves')!, { series: [{ name: 'loss' }, { name: 'accuracy', axis: 'right' }], rightLabel: 'accuracy', title: 'Live' });
      const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
      const seen: number[] = [];
      for (let step = 1; step <= 40; step++) {
        chart.push(step, { loss: 2 * Math.exp(-step / 10), accuracy: 1 - Math.exp(-step / 8) });
        if (step % 10 === 0) {
          if (step === 20) chart.push(step, { val_loss: 2.1 * Math.exp(-step / 12) });
          await frame();
          seen.push(chart.plot.data[0]!.length);
        }
      }
      await frame();
      return { seen, series: chart.plot.series.map((series) => series.label), canvases: document.querySelectorAll('#curves canvas').length };
    });
    expect(counts.seen).toEqual([10, 20, 30, 40]);
    expect(counts.series).toEqual(['step', 'loss', 'accuracy', 'val_loss']);
    expect(counts.canvases).toBe(1);
    await page.locator('#curves').screenshot({ path: `${TMP}training-curves.uplot.png` });
    expect(errors()).toEqual([]);
  });
});
