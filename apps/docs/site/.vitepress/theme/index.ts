// The default VitePress theme plus heed's live widgets, registered as global components so any
// page can use them (`<AttentionPlayground />`).
import DefaultTheme from 'vitepress/theme';
import type { Theme } from 'vitepress';
import { AttentionPlayground } from './attention-playground';
import './custom.css';

const theme: Theme = {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('AttentionPlayground', AttentionPlayground);
  },
};

export default theme;
