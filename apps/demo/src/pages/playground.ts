import { attentionHeadsGridSvg, attentionHeatmapSvg, headViewSvg } from '@heed/viz';
import { computeWeights, type PlaygroundResult, type PlaygroundSettings } from '../playground/compute-weights';
import { MASK_FORMULA, MECHANISMS, mechanismOf, type MechanismId } from '../playground/mechanisms';
import { MAX_TOKENS } from '../playground/seeded-inputs';
import { h, labeled } from '../shell/dom';
import type { Page } from '../shell/page';

const DEFAULTS: PlaygroundSettings = {
  mechanism: 'scaled-dot',
  sentence: 'the cat sat on the mat',
  padding: 1,
  causal: false,
  window: undefined,
  dim: 8,
  heads: 2,
  seed: 7,
  temperature: 0.5,
};

const isLocal = (id: MechanismId) => id === 'local-m' || id === 'local-p';

/** The playground's form controls, by name. */
function controls() {
  const mechanism = h('select', { id: 'mechanism', name: 'mechanism' }, ...MECHANISMS.map((m) => h('option', { value: m.id }, m.label)));
  const sentence = h('input', { id: 'sentence', name: 'sentence', type: 'text', size: 40, value: DEFAULTS.sentence, 'aria-describedby': 'sentence-help' });
  const padding = h('input', { id: 'padding', name: 'padding', type: 'number', min: 0, max: 6, value: DEFAULTS.padding });
  const causal = h('input', { id: 'causal', name: 'causal', type: 'checkbox' });
  const useWindow = h('input', { id: 'use-window', name: 'use-window', type: 'checkbox' });
  const radius = h('input', { id: 'window', name: 'window', type: 'number', min: 0, max: MAX_TOKENS, value: 1 });
  const dim = h('select', { id: 'dim', name: 'dim' }, ...[4, 8, 16].map((d) => h('option', { value: d, selected: d === DEFAULTS.dim }, String(d))));
  const heads = h('select', { id: 'heads', name: 'heads' }, ...[1, 2, 4].map((n) => h('option', { value: n, selected: n === DEFAULTS.heads }, String(n))));
  const seed = h('input', { id: 'seed', name: 'seed', type: 'number', min: 0, value: DEFAULTS.seed });
  const temperature = h('input', { id: 'temperature', name: 'temperature', type: 'number', min: 0.05, step: 0.05, value: DEFAULTS.temperature });
  return { mechanism, sentence, padding, causal, useWindow, radius, dim, heads, seed, temperature };
}

/** Page 5: every classic attention, masks, the article's formulas and the live weights. */
export const playgroundPage: Page = {
  id: 'playground',
  title: 'Attention playground',
  status: 'ready',
  render(container, { report }) {
    const c = controls();
    const headsLabel = labeled('Heads h', c.heads);
    const temperatureLabel = labeled('Temperature τ', c.temperature);
    const windowLabel = h('span', {}, labeled('Window mask', c.useWindow), ' ', labeled('radius r', c.radius));
    const formula = h('div', { id: 'formula', class: 'formula', 'aria-live': 'polite' });
    const figure = h('figure', { id: 'playground-weights', 'aria-label': 'Attention weights' });
    const message = h('p', { id: 'playground-message', role: 'alert', class: 'error', hidden: true });
    const focus = h('select', { id: 'focus', name: 'focus' });
    const lines = h('figure', { id: 'playground-lines', 'aria-label': 'Attention head view' });
    const linesSection = h(
      'section',
      { 'aria-labelledby': 'lines-title' },
      h('h2', { id: 'lines-title' }, 'Head view'),
      h('p', {}, 'Each line joins a query (left) to a key (right); its opacity is the weight, its color the head. ', labeled('Focus on query', focus)),
      lines,
    );
    let shown: PlaygroundResult | undefined;
    const drawLines = () => {
      if (!shown) return;
      const value = focus.value === '' ? undefined : Number(focus.value);
      lines.innerHTML = headViewSvg({ weights: shown.weights, shape: shown.shape, tokens: shown.tokens, focus: value, title: 'Attention head view' });
    };
    focus.addEventListener('change', drawLines);
    const form = h(
      'form',
      { class: 'controls', 'aria-label': 'Attention settings' },
      h('fieldset', {}, h('legend', {}, 'Mechanism'), labeled('Attention', c.mechanism), ' ', headsLabel, ' ', temperatureLabel),
      h(
        'fieldset',
        {},
        h('legend', {}, 'Input'),
        labeled('Sentence', c.sentence),
        h('small', { id: 'sentence-help' }, ` self-attention over its words, each with a seeded ${'d'}-dimensional embedding (at most ${MAX_TOKENS} tokens)`),
        h('br'),
        labeled('Embedding width d', c.dim),
        ' ',
        labeled('Seed', c.seed),
      ),
      h('fieldset', {}, h('legend', {}, 'Masks'), labeled('Padding tokens', c.padding), ' ', labeled('Causal', c.causal), ' ', windowLabel),
    );
    form.addEventListener('submit', (event) => event.preventDefault());
    container.append(
      h('h1', { id: 'page-playground-title' }, 'Attention playground'),
      h('p', {}, `Pick a mechanism and masks; the weights are computed live with @heed/attention on the ${report.name} backend. Rows are queries, columns keys; gray cells are masked.`),
      form,
      h('section', { 'aria-labelledby': 'formula-title' }, h('h2', { id: 'formula-title' }, 'Formula'), formula),
      h('div', { class: 'row' }, h('section', { 'aria-labelledby': 'weights-title' }, h('h2', { id: 'weights-title' }, 'Weights'), message, figure), linesSection),
    );

    const read = (): PlaygroundSettings => {
      const mechanism = mechanismOf(c.mechanism.value).id;
      const local = isLocal(mechanism);
      return {
        mechanism,
        sentence: c.sentence.value,
        padding: Math.max(0, Math.floor(Number(c.padding.value) || 0)),
        causal: c.causal.checked,
        window: c.useWindow.checked || local ? Math.max(0, Math.floor(Number(c.radius.value) || 0)) : undefined,
        dim: Number(c.dim.value),
        heads: Number(c.heads.value),
        seed: Math.floor(Number(c.seed.value) || 0),
        temperature: Number(c.temperature.value) > 0 ? Number(c.temperature.value) : DEFAULTS.temperature,
      };
    };

    let version = 0;
    const update = async () => {
      const settings = read();
      const mechanism = mechanismOf(settings.mechanism);
      const local = isLocal(settings.mechanism);
      headsLabel.hidden = settings.mechanism !== 'multi-head';
      temperatureLabel.hidden = settings.mechanism !== 'cosine';
      c.useWindow.disabled = local;
      c.useWindow.checked = c.useWindow.checked || local;
      formula.replaceChildren(
        ...mechanism.formulas.map((line) => h('p', { class: 'math' }, line)),
        h('p', { class: 'math mask' }, local ? `window D = r (the layer's own window); ${MASK_FORMULA}` : MASK_FORMULA),
        h('p', { class: 'source' }, 'Source: ', h('cite', {}, mechanism.source)),
        h('p', { class: 'api' }, 'heed: ', h('code', {}, mechanism.api)),
      );
      const current = ++version;
      figure.dataset.state = 'computing';
      try {
        const result = await computeWeights(settings);
        if (current !== version) return;
        const [heads, rows, columns] = result.shape;
        const common = { rowLabels: result.tokens, columnLabels: result.tokens, masked: result.masked, showValues: rows <= 8, cellSize: rows <= 8 ? 34 : 26 };
        figure.innerHTML =
          heads > 1
            ? attentionHeadsGridSvg({ ...common, weights: result.weights, shape: result.shape, columns: Math.min(heads, 2), title: `${mechanism.label} attention weights, per head` })
            : attentionHeatmapSvg({ ...common, weights: result.weights, shape: [rows, columns], title: `${mechanism.label} attention weights` });
        const focused = focus.value;
        focus.replaceChildren(h('option', { value: '' }, 'all queries'), ...result.tokens.map((token, index) => h('option', { value: index }, `${index}: ${token}`)));
        focus.value = Number(focused) < rows ? focused : '';
        shown = result;
        drawLines();
        figure.dataset.weights = JSON.stringify(Array.from(result.weights));
        figure.dataset.shape = JSON.stringify(result.shape);
        message.hidden = true;
        figure.dataset.state = 'ready';
      } catch (error) {
        if (current !== version) return;
        figure.replaceChildren();
        lines.replaceChildren();
        shown = undefined;
        message.textContent = (error as Error).message;
        message.hidden = false;
        figure.dataset.state = 'error';
      }
      figure.dataset.version = String(current);
    };
    form.addEventListener('input', () => void update());
    form.addEventListener('change', () => void update());
    return update();
  },
};
