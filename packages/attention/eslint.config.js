import { heedConfig } from '@heed/eslint-config';

export default heedConfig('@heed/attention', import.meta.dirname);
