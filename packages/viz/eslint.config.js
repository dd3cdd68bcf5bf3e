import { heedConfig } from '@heed/eslint-config';

export default heedConfig('@heed/viz', import.meta.dirname);
