import { describe, expect, it } from 'vitest';
import { attentionHeatmapScene } from './attention-heatmap';
import type { Scene } from './scene';
import { renderSceneToCanvas, type Canvas2D, type CanvasLike } from './scene-canvas';

/** A 2D context that records calls, to check the canvas painter without a browser. */
function recordingCanvas() {
  const calls: Array<[string, ...unknown[]]> = [];
  const state: Record<string, unknown> = {};
  const context = new Proxy(state, {
    get: (target, key) => (key in target ? target[key as string] : (...args: unknown[]) => {
      calls.push([String(key), ...args]);
      return key === 'createLinearGradient' ? { addColorStop: (...stop: unknown[]) => calls.push(['addColorStop', ...stop]) } : undefined;
    }),
    set: (target, key, value) => {
      target[key as string] = value;
      calls.push([`set ${String(key)}`, value]);
      return true;
    },
  }) as unknown as Canvas2D;
  const canvas: CanvasLike = { width: 0, height: 0, style: { width: '', height: '' }, getContext: () => context };
  return { canvas, calls };
}

describe('renderSceneToCanvas', () => {
  it('sizes the canvas for the pixel ratio and fills each cell with its scene color', () => {
    const { canvas, calls } = recordingCanvas();
    const scene: Scene = attentionHeatmapScene({ weights: [[0.25, 0.75]], legend: false });
    renderSceneToCanvas(canvas, scene, { pixelRatio: 2 });
    expect([canvas.width, canvas.height]).toEqual([Math.ceil(scene.width * 2), Math.ceil(scene.height * 2)]);
    expect(canvas.style).toEqual({ width: `${scene.width}px`, height: `${scene.height}px` });
    expect(calls).toContainEqual(['setTransform', 2, 0, 0, 2, 0, 0]);
    const cells = scene.shapes.filter((shape) => shape.kind === 'rect' && shape.className === 'cell');
    for (const cell of cells) {
      if (cell.kind !== 'rect') continue;
      const at = calls.findIndex((call) => call[0] === 'fillRect' && call[1] === cell.x && call[2] === cell.y);
      expect(at).toBeGreaterThan(0);
      const fill = calls.slice(0, at).reverse().find((call) => call[0] === 'set fillStyle');
      expect(fill?.[1]).toBe(cell.fill);
    }
  });

  it('says when the canvas has no 2D context', () => {
    const canvas: CanvasLike = { width: 0, height: 0, getContext: () => null };
    expect(() => renderSceneToCanvas(canvas, attentionHeatmapScene({ weights: [[1]] }))).toThrow(/getContext\("2d"\) returned null/);
  });
});
