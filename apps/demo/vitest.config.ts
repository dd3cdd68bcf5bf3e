import { heedVitestConfig } from '@heed/vitest-config';

// e2e/global-setup.ts builds the app once and serves it for every e2e file.
export default heedVitestConfig({ include: ['e2e/**/*.test.ts'], globalSetup: ['e2e/global-setup.ts'] });
