import { heedConfig } from '@heed/eslint-config';

export default heedConfig('@heed/demo', import.meta.dirname);
