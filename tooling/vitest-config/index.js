// Shared Vitest settings. A package's vitest.config.ts is:
//   import { heedVitestConfig } from '@heed/vitest-config';
//   export default heedVitestConfig();
import { defineConfig } from 'vitest/config';

/**
 * @param {import('vitest/config').UserConfig['test']} [overrides]
 */
export function heedVitestConfig(overrides = {}) {
  return defineConfig({
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts', '*.test.js', 'test/**/*.test.js'],
      // tfjs backends (wasm, webgpu over Dawn) keep global state: one fork, files in sequence.
      pool: 'forks',
      fileParallelism: false,
      testTimeout: 120_000,
      hookTimeout: 120_000,
      reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
      ...overrides,
    },
  });
}
