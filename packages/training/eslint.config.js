import { heedConfig } from '@heed/eslint-config';

export default heedConfig('@heed/training', import.meta.dirname);
