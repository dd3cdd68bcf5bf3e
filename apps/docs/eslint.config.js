import { heedConfig } from '@heed/eslint-config';

export default [
  { ignores: ['site/.vitepress/cache/**', 'site/.vitepress/generated/**', 'site/api/**', '.tmp/**'] },
  ...heedConfig('@heed/docs', import.meta.dirname),
];
