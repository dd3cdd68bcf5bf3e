// A live attention heatmap: the page tokenizes a sentence, turns every token into a fixed vector,
// runs heed's scaledDotProductAttention (on the backend initBackend picks in this browser) and
// draws the weights with @heed/viz. Nothing is precomputed.
import type * as Attention from '@heed/attention';
import type * as Backends from '@heed/backends';
import type * as Viz from '@heed/viz';
import type * as Tf from '@tensorflow/tfjs';
import { defineComponent, h, onBeforeUnmount, onMounted, ref, watch } from 'vue';
import { toyEmbeddings } from './toy-embeddings';

const DEFAULT_SENTENCE = 'the cat sat on the mat because the cat was tired';

type HeedModules = [typeof Tf, typeof Backends, typeof Attention, typeof Viz];
let modules: Promise<HeedModules> | undefined;
let backendName: Promise<string> | undefined;

/** Loads tfjs and heed once per page, and starts the backend heed picks here. */
function loadHeed(): Promise<HeedModules> {
  modules ??= Promise.all([import('@tensorflow/tfjs'), import('@heed/backends'), import('@heed/attention'), import('@heed/viz')]);
  return modules;
}

export const AttentionPlayground = defineComponent({
  name: 'AttentionPlayground',
  props: {
    sentence: { type: String, default: DEFAULT_SENTENCE },
    sharpness: { type: Number, default: 6 },
  },
  setup(props) {
    const sentence = ref(props.sentence);
    const sharpness = ref(props.sharpness);
    const causal = ref(false);
    const radius = ref(-1);
    const svg = ref('');
    const status = ref('Loading TensorFlow.js and heed…');
    let alive = true;
    let run = 0;

    async function compute(): Promise<void> {
      const current = ++run;
      const [tf, backends, attention, viz] = await loadHeed();
      backendName ??= backends.initBackend().then((report) => report.name);
      const backend = await backendName;
      const tokens = sentence.value.trim().split(/\s+/).filter(Boolean).slice(0, 24);
      if (tokens.length === 0) {
        svg.value = '';
        status.value = 'Type a sentence.';
        return;
      }
      const dim = 32;
      const embeddings = toyEmbeddings(tokens, dim);
      // (batch, time, dim) = (1, n, 32): one sentence attending to itself (self-attention).
      const x = tf.tensor3d([embeddings], [1, tokens.length, dim]);
      const mask = radius.value >= 0 ? attention.windowMask(tokens.length, tokens.length, radius.value) : undefined;
      const [context, weights] = attention.scaledDotProductAttention(x, x, x, {
        returnWeights: true,
        causal: causal.value,
        scale: sharpness.value,
        ...(mask ? { mask } : {}),
      });
      const rows = (await weights.array())[0]!;
      tf.dispose([x, context, weights, ...(mask ? [mask] : [])]);
      if (!alive || current !== run) return;
      svg.value = viz.attentionHeatmapSvg({ weights: rows, rowLabels: tokens, columnLabels: tokens, title: 'Self-attention weights' });
      status.value = `Computed in this page by scaledDotProductAttention on the ${backend} backend (${tokens.length} tokens; rows are queries, columns keys; each row sums to 1).`;
    }

    const refresh = () => {
      compute().catch((error: unknown) => {
        status.value = `Could not compute: ${(error as Error).message}`;
      });
    };
    onMounted(refresh);
    onBeforeUnmount(() => {
      alive = false;
    });
    watch([sentence, sharpness, causal, radius], refresh);

    const numberInput = (label: string, model: typeof sharpness, min: number, max: number, step: number) =>
      h('label', [
        label,
        h('input', {
          type: 'number',
          min,
          max,
          step,
          value: model.value,
          onInput: (event: Event) => {
            const value = Number((event.target as HTMLInputElement).value);
            if (Number.isFinite(value)) model.value = value;
          },
        }),
      ]);

    return () =>
      h('div', { class: 'attention-playground' }, [
        h('div', [
          h('label', [
            'Sentence',
            h('input', {
              type: 'text',
              value: sentence.value,
              'aria-label': 'Sentence',
              onChange: (event: Event) => {
                sentence.value = (event.target as HTMLInputElement).value;
              },
            }),
          ]),
        ]),
        h('div', [
          numberInput('Scale', sharpness, 0.5, 40, 0.5),
          h('label', [
            h('input', {
              type: 'checkbox',
              checked: causal.value,
              onChange: (event: Event) => {
                causal.value = (event.target as HTMLInputElement).checked;
              },
            }),
            'Causal mask',
          ]),
          numberInput('Window radius (−1 = global)', radius, -1, 12, 1),
        ]),
        h('div', { class: 'heatmap', innerHTML: svg.value }),
        h('p', { class: 'status', 'data-testid': 'attention-status' }, status.value),
      ]);
  },
});
