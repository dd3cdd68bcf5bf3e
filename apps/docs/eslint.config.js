import { heedConfig } from '@heed/eslint-config';

export default heedConfig('@heed/docs', import.meta.dirname);
