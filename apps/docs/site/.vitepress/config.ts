// VitePress configuration of the heed docs. The API sidebar comes from scripts/generate.ts,
// which runs before every `build` / `dev` (see package.json).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type DefaultTheme } from 'vitepress';

const generated = (name: string) => fileURLToPath(new URL(`./generated/${name}`, import.meta.url));

function apiSidebar(): DefaultTheme.SidebarItem[] {
  const file = generated('api-sidebar.json');
  if (!existsSync(file)) throw new Error('docs: run `pnpm --filter @heed/docs generate` (part of build and dev) first');
  return JSON.parse(readFileSync(file, 'utf8')) as DefaultTheme.SidebarItem[];
}

const guide: DefaultTheme.SidebarItem[] = [
  {
    text: 'Guides',
    items: [
      { text: 'Getting started', link: '/guide/getting-started' },
      { text: 'Backends', link: '/guide/backends' },
      { text: 'Tokenization', link: '/guide/tokenization' },
      { text: 'Training', link: '/guide/training' },
      { text: 'Models', link: '/guide/models' },
      { text: 'Interop and migration', link: '/guide/interop' },
    ],
  },
  {
    text: 'Tutorials',
    items: [
      { text: 'Reproduce the results', link: '/tutorials/' },
      { text: 'Grapheme-to-phoneme', link: '/tutorials/g2p' },
      { text: 'ViT on digits', link: '/tutorials/vit-digits' },
      { text: 'Text classifiers', link: '/tutorials/text-classifiers' },
      { text: 'Fine-tune a BERT from the Hub', link: '/tutorials/fine-tune-bert' },
    ],
  },
  {
    text: 'Attention concepts',
    items: [
      { text: 'Overview', link: '/concepts/' },
      { text: 'Additive (Bahdanau)', link: '/concepts/additive-attention' },
      { text: 'Luong: dot, general, concat', link: '/concepts/luong-attention' },
      { text: 'Scaled dot-product', link: '/concepts/scaled-dot-product' },
      { text: 'Multi-head', link: '/concepts/multi-head' },
      { text: 'Cosine attention', link: '/concepts/cosine-attention' },
      { text: 'Global, local, hybrid', link: '/concepts/global-local' },
      { text: 'Self vs cross', link: '/concepts/self-and-cross' },
      { text: 'Positions and blocks', link: '/concepts/positions-and-blocks' },
      { text: 'Masks and polarity', link: '/concepts/masks' },
      { text: 'What weights explain', link: '/concepts/explanation' },
    ],
  },
  {
    text: 'Measured',
    items: [
      { text: 'Benchmarks', link: '/benchmarks' },
      { text: 'Results', link: '/results' },
    ],
  },
];

export default defineConfig({
  title: 'heed',
  description: 'Attention you can build, train, explain and run anywhere JavaScript runs, on TensorFlow.js.',
  lang: 'en-US',
  base: process.env.HEED_DOCS_BASE ?? '/',
  outDir: '../dist',
  cleanUrls: false,
  lastUpdated: false,
  // VitePress fails the build on a dead link between pages; the link test checks anchors too.
  ignoreDeadLinks: false,
  markdown: { math: true },
  vite: {
    // The live widgets load tfjs and heed in the browser only (in onMounted): the server render
    // leaves them as imports instead of bundling them a second time.
    ssr: { external: ['@tensorflow/tfjs', '@heed/attention', '@heed/backends', '@heed/viz'] },
    build: { chunkSizeWarningLimit: 4096 },
    // Cross-origin isolation (COOP/COEP), so the live widgets' wasm kernels run on heed's Web
    // Worker pool; a static host for the built site should send the same two headers.
    server: { headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } },
    preview: { headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } },
  },
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/guide/getting-started' },
      { text: 'Tutorials', link: '/tutorials/' },
      { text: 'Concepts', link: '/concepts/' },
      { text: 'API', link: '/api/' },
      { text: 'Benchmarks', link: '/benchmarks' },
      { text: 'Changelog', link: '/changelog/' },
    ],
    sidebar: {
      '/guide/': guide,
      '/concepts/': guide,
      '/tutorials/': guide,
      '/benchmarks': guide,
      '/results': guide,
      '/api/': apiSidebar(),
      '/changelog/': apiSidebar(),
    },
    outline: { level: [2, 3] },
    search: { provider: 'local' },
  },
});
