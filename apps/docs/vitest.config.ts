import { heedVitestConfig } from '@heed/vitest-config';

export default heedVitestConfig();
