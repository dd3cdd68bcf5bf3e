import { heedConfig } from '@heed/eslint-config';

// assembly/ is AssemblyScript (compiled by asc, linted by its own compiler), not TypeScript.
export default [{ ignores: ['assembly/**'] }, ...heedConfig('@heed/backends', import.meta.dirname)];
