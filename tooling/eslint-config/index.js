// Shared flat ESLint config. A package's eslint.config.js is two lines:
//   import { heedConfig } from '@heed/eslint-config';
//   export default heedConfig('@heed/attention');
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { restrictedImportsFor } from './layering.js';

/**
 * @param {string} packageName the workspace package being linted; selects its layering rules.
 * @param {string} [rootDir] the package folder (`import.meta.dirname`), so several packages can be
 *   linted in one process.
 * @returns {import('eslint').Linter.Config[]}
 */
export function heedConfig(packageName, rootDir = process.cwd()) {
  return [
    { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.d.ts', '.turbo/**'] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
      languageOptions: {
        ecmaVersion: 2022,
        sourceType: 'module',
        globals: { ...globals.browser, ...globals.node },
        parserOptions: { tsconfigRootDir: rootDir },
      },
      rules: {
        'no-restricted-imports': ['error', restrictedImportsFor(packageName)],
        '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
        '@typescript-eslint/consistent-type-imports': 'error',
        eqeqeq: ['error', 'smart'],
      },
    },
    {
      files: ['**/*.test.ts', '**/*.bench.ts', 'bench/**', 'scripts/**'],
      rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
    },
  ];
}

export { LAYERS, APPS, LIBRARIES, restrictedImportsFor } from './layering.js';
