import { describe, expect, it } from 'vitest';
import { balanced, elements, luminance } from '../test/svg-helpers';
import { attentionRollout } from './attention-rollout';
import { patchAttentionOverlaySvg } from './patch-attention-overlay';
import { encodePng } from './png';
import { toRgba } from './raster-image';

const gray = { width: 4, height: 4, pixels: new Float32Array(16).fill(0.5) };

describe('patchAttentionOverlaySvg', () => {
  it('tints one patch per weight over the embedded image, lighter for larger weights', () => {
    const weights = [0.1, 0.4, 0.2, 0.3];
    const svg = patchAttentionOverlaySvg({ image: gray, weights, size: 100 });
    expect(balanced(svg)).toBe(true);
    const patches = elements(svg, 'rect', 'patch');
    expect(patches.map((patch) => [patch['data-row'], patch['data-column'], Number(patch['data-weight'])])).toEqual([
      ['0', '0', 0.1], ['0', '1', 0.4], ['1', '0', 0.2], ['1', '1', 0.3],
    ]);
    expect(patches.map((patch) => Number(patch.width))).toEqual([50, 50, 50, 50]);
    const order = [...patches].sort((a, b) => Number(a['data-weight']) - Number(b['data-weight'])).map((patch) => luminance(patch.fill!));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(elements(svg, 'image')[0]!.href).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
    expect(elements(svg, 'rect', 'legend')).toHaveLength(1);
  });

  it('accepts nested weights, non-square grids, URLs and a spotlight mode', () => {
    const svg = patchAttentionOverlaySvg({ image: { url: 'cat.png?a=1&b=2', width: 60, height: 40 }, weights: [[0, 1, 0], [0, 0, 0]], mode: 'spotlight', opacity: 1 });
    expect(svg).toContain('href="cat.png?a=1&amp;b=2"');
    const patches = elements(svg, 'rect', 'patch');
    expect(patches).toHaveLength(6);
    expect(patches.map((patch) => Number(patch['fill-opacity']))).toEqual([1, 0, 1, 1, 1, 1]);
    expect(elements(patchAttentionOverlaySvg({ image: gray, weights: new Float32Array(8), grid: [2, 4] }), 'rect', 'patch')).toHaveLength(8);
  });

  it('names the argument and sizes on bad input', () => {
    expect(() => patchAttentionOverlaySvg({ image: gray, weights: [1, 2, 3] })).toThrow(/weights has 3 values, not a square number; pass grid \[rows, cols\]/);
    expect(() => patchAttentionOverlaySvg({ image: gray, weights: [1, 2, 3], grid: [2, 2] })).toThrow(/weights has 3 values but grid \[2, 2\] needs 4/);
    expect(() => patchAttentionOverlaySvg({ image: { width: 4, height: 4, pixels: new Uint8Array(15) }, weights: [1] })).toThrow(
      /image\.pixels has 15 values but a 4 × 4 image needs 16 \(gray\), 48 \(RGB\) or 64 \(RGBA\)/,
    );
    expect(() => patchAttentionOverlaySvg({ image: gray, weights: [[1, 2], [3]] })).toThrow(/weights must be rectangular; row 0 has 2 columns but row 1 has 1/);
    expect(() => patchAttentionOverlaySvg({ image: gray, weights: [[1, 2]], grid: [2, 1] })).toThrow(/grid \[2, 1\] does not match nested weights of 1 × 2/);
  });
});

describe('toRgba and encodePng', () => {
  it('expands gray and RGB, scaling unit values to bytes', () => {
    expect(Array.from(toRgba('t', { width: 2, height: 1, pixels: [0, 1] }))).toEqual([0, 0, 0, 255, 255, 255, 255, 255]);
    expect(Array.from(toRgba('t', { width: 1, height: 1, pixels: [10, 20, 30] }))).toEqual([10, 20, 30, 255]);
  });

  it('writes a PNG with valid signature, header and chunk CRCs', async () => {
    const png = encodePng(new Uint8ClampedArray([255, 0, 0, 255, 0, 255, 0, 128]), 2, 1);
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer);
    expect([view.getUint32(16), view.getUint32(20)]).toEqual([2, 1]);
    // Independent check with Node's zlib: the IDAT payload inflates to the filtered rows.
    const { inflateSync, crc32 } = await import('node:zlib');
    const idatLength = view.getUint32(33);
    const idat = png.subarray(41, 41 + idatLength);
    expect(Array.from(inflateSync(idat))).toEqual([0, 255, 0, 0, 255, 0, 255, 0, 128]);
    expect(view.getUint32(41 + idatLength)).toBe(crc32(png.subarray(37, 41 + idatLength)));
  });
});

describe('attentionRollout', () => {
  it('equals an independent matrix product of (0.5·mean + 0.5·I), row-normalized, layer by layer', () => {
    const [L, H, T] = [3, 2, 3];
    const flat = Float32Array.from({ length: L * H * T * T }, (_, index) => ((index * 7) % 5) + 1);
    const reference = (() => {
      let result: number[][] | undefined;
      for (let l = 0; l < L; l++) {
        const a = Array.from({ length: T }, (_, q) =>
          Array.from({ length: T }, (_, k) => {
            let mean = 0;
            for (let h = 0; h < H; h++) mean += flat[((l * H + h) * T + q) * T + k]! / H;
            return 0.5 * mean + (q === k ? 0.5 : 0);
          }),
        ).map((row) => row.map((value) => value / row.reduce((s, v) => s + v, 0)));
        result = result === undefined ? a : a.map((row) => result![0]!.map((_, c) => row.reduce((s, v, m) => s + v * result![m]![c]!, 0)));
      }
      return result!;
    })();
    const rollout = attentionRollout({ weights: flat, shape: [L, H, T, T] });
    expect(rollout.rows).toBe(T);
    reference.flat().forEach((value, index) => expect(rollout.values[index]).toBeCloseTo(value, 5));
  });

  it('rejects non-square attention', () => {
    expect(() => attentionRollout({ weights: new Float32Array(6), shape: [1, 1, 2, 3] })).toThrow(/must be square \(T, T\) for rollout; got 2 × 3/);
  });
});
