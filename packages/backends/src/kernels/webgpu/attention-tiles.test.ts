import { afterEach, describe, expect, it, vi } from 'vitest';
import { chooseAttentionTiles, setAttentionTilePreference, tileShortfall, warnTileShortfall, type AttentionLimits } from './attention-tiles';

const WEBGPU_DEFAULTS: AttentionLimits = {
  maxComputeWorkgroupStorageSize: 16384,
  maxComputeInvocationsPerWorkgroup: 256,
  maxComputeWorkgroupSizeX: 256,
  maxStorageBufferBindingSize: 134217728,
};

describe('chooseAttentionTiles', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    setAttentionTilePreference(undefined);
  });

  it('fits the largest power-of-two tile in workgroup storage at WebGPU default limits', () => {
    // D = 64: a key and a value row take 512 bytes; 16 KiB minus the plan fits 31 -> 16.
    expect(chooseAttentionTiles(WEBGPU_DEFAULTS, 8 * 64)).toEqual({ threads: 64, tile: 16, shared: true });
    expect(chooseAttentionTiles(WEBGPU_DEFAULTS, 8 * 16)).toEqual({ threads: 64, tile: 32, shared: true });
    expect(chooseAttentionTiles({ ...WEBGPU_DEFAULTS, maxComputeWorkgroupStorageSize: 32768 }, 8 * 64)).toEqual({
      threads: 64,
      tile: 32,
      shared: true,
    });
  });

  it('shrinks threads to the invocation limit and drops shared tiles when not one row fits', () => {
    expect(chooseAttentionTiles({ ...WEBGPU_DEFAULTS, maxComputeInvocationsPerWorkgroup: 48 }, 64)).toMatchObject({ threads: 32 });
    expect(chooseAttentionTiles({ ...WEBGPU_DEFAULTS, maxComputeWorkgroupSizeX: 1 }, 64)).toMatchObject({ threads: 1 });
    expect(chooseAttentionTiles({ ...WEBGPU_DEFAULTS, maxComputeWorkgroupStorageSize: 600 }, 8 * 64)).toMatchObject({ tile: 1, shared: true });
    expect(chooseAttentionTiles({ ...WEBGPU_DEFAULTS, maxComputeWorkgroupStorageSize: 100 }, 8 * 64)).toMatchObject({ shared: false });
    expect(chooseAttentionTiles({ ...WEBGPU_DEFAULTS, maxComputeWorkgroupStorageSize: 0 }, 8)).toMatchObject({ shared: false });
  });

  it('names the shortfall and warns once per reason', () => {
    const small = { ...WEBGPU_DEFAULTS, maxComputeWorkgroupStorageSize: 100, maxComputeInvocationsPerWorkgroup: 16 };
    const tiles = chooseAttentionTiles(small, 8 * 64);
    expect(tileShortfall(tiles, small)).toMatch(/16 invocations.*global memory/);
    expect(tileShortfall(chooseAttentionTiles(WEBGPU_DEFAULTS, 512), WEBGPU_DEFAULTS)).toBeUndefined();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    warnTileShortfall('unit test', tiles, small);
    warnTileShortfall('unit test', tiles, small);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('takes a tuning preference, still capped by limits, and rejects non-powers of two', () => {
    setAttentionTilePreference({ threads: 128, tile: 64 });
    expect(chooseAttentionTiles({ ...WEBGPU_DEFAULTS, maxComputeWorkgroupStorageSize: 65536 }, 8 * 64)).toEqual({ threads: 128, tile: 64, shared: true });
    expect(chooseAttentionTiles(WEBGPU_DEFAULTS, 8 * 64)).toEqual({ threads: 128, tile: 16, shared: true });
    expect(() => setAttentionTilePreference({ tile: 24 })).toThrow(/tile must be a power of two >= 1; got 24/);
  });
});
