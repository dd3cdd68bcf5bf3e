import { heedConfig } from '@heed/eslint-config';

export default heedConfig('@heed/models', import.meta.dirname);
