import { heedConfig } from '@heed/eslint-config';

export default heedConfig('@heed/tokenizers', import.meta.dirname);
