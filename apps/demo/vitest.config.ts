import { heedVitestConfig } from '@heed/vitest-config';

// src/**: Node unit tests of the pages' computations. e2e/**: the built app in headless Chromium;
// e2e/global-setup.ts builds it once and serves it for every e2e file.
export default heedVitestConfig({ include: ['src/**/*.test.ts', 'build/**/*.test.ts', 'e2e/**/*.test.ts'], globalSetup: ['e2e/global-setup.ts'] });
