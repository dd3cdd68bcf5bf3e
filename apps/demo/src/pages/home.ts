import { attentionHeatmapSvg } from '@heed/viz';
import * as tf from '@tensorflow/tfjs';
import { h } from '../shell/dom';
import type { Page } from '../shell/page';
import { PAGE_SUMMARIES } from './summaries';

/** The landing page: what heed is, a first attention map computed on the active backend, the pages. */
export const homePage: Page = {
  id: 'home',
  title: 'Home',
  status: 'ready',
  async render(container, { report }) {
    const figure = h('figure', { id: 'heatmap', 'aria-label': 'Attention heatmap' });
    container.append(
      h('h1', { id: 'page-home-title' }, 'heed: attention you can see'),
      h('p', {}, `Everything on these pages runs in this tab with TensorFlow.js on the ${report.name} backend; nothing is sent anywhere.`),
      h('h2', {}, 'A first look'),
      h('p', {}, 'Scaled dot-product self-attention weights softmax(XXᵀ/√d) of a tiny sentence with random 8-dimensional embeddings X:'),
      figure,
      h('h2', {}, 'Pages'),
      h('ul', { class: 'page-list' }, ...PAGE_SUMMARIES.map(({ id, title, summary }) => h('li', {}, h('a', { href: `#/${id}` }, title), ` — ${summary}`))),
    );
    const tokens = ['the', 'cat', 'sat', 'down'];
    const weights = tf.tidy(() => {
      const embeddings = tf.randomNormal([tokens.length, 8], 0, 1, 'float32', 1); // (T, d)
      return tf.softmax(tf.matMul(embeddings, embeddings, false, true).div(Math.sqrt(8))); // (T, T)
    });
    const values = (await weights.array()) as number[][];
    weights.dispose();
    figure.innerHTML = attentionHeatmapSvg({ weights: values, rowLabels: tokens, columnLabels: tokens, title: 'Self-attention of “the cat sat down”' });
  },
};
