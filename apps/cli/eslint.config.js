import { heedConfig } from '@heed/eslint-config';

export default heedConfig('@heed/cli', import.meta.dirname);
