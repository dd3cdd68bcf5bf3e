import { heedConfig } from '@heed/eslint-config';

export default [{ ignores: ['e2e/dist/**'] }, ...heedConfig('@heed/training', import.meta.dirname)];
