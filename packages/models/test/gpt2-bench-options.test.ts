// bench:gpt2's argument and HEED_BENCH_* parsing (the benchmark itself is never a test).
import { describe, expect, it } from 'vitest';
import { gpt2BenchOptions } from '../bench/gpt2-bench-common';

describe('gpt2BenchOptions', () => {
  it('defaults differ between the Node and the Chromium run', () => {
    expect(gpt2BenchOptions([], {}, 2)).toEqual({ chromium: false, newTokens: 32, reps: 1, rounds: 3, threads: 2, checkpoint: undefined, diagnose: true, dry: false });
    expect(gpt2BenchOptions(['--chromium'], {}, 4)).toEqual({ chromium: true, newTokens: 16, reps: 3, rounds: 3, threads: 4, checkpoint: undefined, diagnose: true, dry: false });
  });

  it('reads the HEED_BENCH_* variables', () => {
    const options = gpt2BenchOptions(['--chromium'], { HEED_BENCH_NEW: '24', HEED_BENCH_REPS: '2', HEED_BENCH_ROUNDS: '1', HEED_BENCH_THREADS: '1', HEED_BENCH_CHECKPOINT: '/tmp/gpt', HEED_BENCH_DRY: '1', HEED_BENCH_DIAGNOSE: '0' }, 2);
    expect(options).toEqual({ chromium: true, newTokens: 24, reps: 2, rounds: 1, threads: 1, checkpoint: '/tmp/gpt', diagnose: false, dry: true });
    expect(gpt2BenchOptions([], { HEED_BENCH_NEW: '' }, 2).newTokens).toBe(32);
  });

  it('names a bad variable, what it must be and what it was', () => {
    expect(() => gpt2BenchOptions([], { HEED_BENCH_NEW: '0' }, 2)).toThrow('HEED_BENCH_NEW must be an integer ≥ 1; got "0"');
    expect(() => gpt2BenchOptions(['--chromium'], { HEED_BENCH_REPS: '2.5' }, 2)).toThrow('HEED_BENCH_REPS must be an integer ≥ 1; got "2.5"');
    expect(() => gpt2BenchOptions([], { HEED_BENCH_THREADS: 'two' }, 2)).toThrow('HEED_BENCH_THREADS must be an integer ≥ 1; got "two"');
  });

  it('refuses an unknown argument, naming it', () => {
    expect(() => gpt2BenchOptions(['--chromum'], {}, 2)).toThrow('unknown argument "--chromum"; expected none or --chromium');
  });
});
