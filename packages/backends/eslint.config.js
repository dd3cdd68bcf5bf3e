import { heedConfig } from '@heed/eslint-config';

export default heedConfig('@heed/backends', import.meta.dirname);
