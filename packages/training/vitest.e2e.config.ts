import { heedVitestConfig } from '@heed/vitest-config';

// e2e/**: @heed/training in headless Chromium (IndexedDB checkpoints). e2e/global-setup.ts builds
// the test page once with Vite and serves it; without /usr/bin/chromium the tests are skipped.
export default heedVitestConfig({
  include: ['e2e/**/*.test.ts'],
  globalSetup: ['e2e/global-setup.ts'],
  reporters: ['default', ['json', { outputFile: 'test-results.e2e.json' }]], // counted by tooling/scripts/test-summary.mjs
});
