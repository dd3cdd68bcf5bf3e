import { heedVitestConfig } from '@heed/vitest-config';

/** Tests of heed's WebAssembly kernels: they run once more on the relaxed-SIMD (FMA) build. */
const SIMD_KERNEL_TESTS = ['src/kernels/wasm-simd/**/*.test.ts', 'src/fused/**/*.test.ts'];

// Per-project settings of the shared config (root-only ones, like reporters, stay at the root).
const { include, pool, testTimeout, hookTimeout } = heedVitestConfig().test ?? {};
const shared = { pool, testTimeout, hookTimeout };

export default heedVitestConfig({
  projects: [
    // Every test on the plain SIMD build (what Safari and Node 20 without the flag run).
    { test: { ...shared, name: 'plain-simd', include, env: { HEED_SIMD_BUILD: 'plain' } } },
    // The kernel tests again on the relaxed build. Node 20 validates relaxed SIMD only behind a V8
    // flag, which NODE_OPTIONS does not accept, so the test processes start with it.
    {
      test: {
        ...shared,
        name: 'relaxed-simd',
        include: SIMD_KERNEL_TESTS,
        exclude: ['src/kernels/wasm-simd/web-worker-pool.test.ts'], // Chromium: its engine, not Node's flag
        execArgv: ['--experimental-wasm-relaxed-simd'],
        env: { HEED_SIMD_BUILD: 'relaxed' },
      },
    },
  ],
});
