import { heedVitestConfig } from '@heed/vitest-config';

export default heedVitestConfig({ include: ['e2e/**/*.test.ts'] });
