import type { HfTextClassifier, TextClassifier, TextExplanation } from '@heed/models';
import { attentionHeatmapSvg, renderTokenHighlight } from '@heed/viz';
import { modelStatus } from '../models/model-status';
import { shippedIndex } from '../models/shipped-models';
import { h, labeled } from '../shell/dom';
import type { Page } from '../shell/page';
import { transformerAttention, type TextAttentionMaps } from '../text/transformer-attention';

/** The text models the page offers, with example texts. */
const TEXT_MODELS = [
  {
    name: 'sentiment-transformer',
    label: 'Sentiment (Transformer)',
    examples: ['The food was great and the staff were friendly.', 'Worst phone I ever bought, it broke after a week.', 'Not bad at all, I would watch it again.'],
  },
  {
    name: 'sentiment',
    label: 'Sentiment (BiLSTM + attention)',
    examples: ['The food was great and the staff were friendly.', 'Worst phone I ever bought, it broke after a week.', 'Not bad at all, I would watch it again.'],
  },
  {
    name: 'sentiment-bert',
    label: 'Sentiment (BERT: pretrained by PyTorch, fine-tuned by heed)',
    examples: ['The food was great and the staff were friendly.', 'Worst phone I ever bought, it broke after a week.', 'Not bad at all, I would watch it again.'],
  },
  {
    name: 'sentiment-cross-bert',
    label: 'Sentiment, cross-domain (BERT fine-tuned on Amazon+Yelp, scored on IMDb)',
    examples: ['A moving film with wonderful acting.', 'The plot was dull and the dialogue was painful to sit through.', 'Not bad at all, I would watch it again.'],
  },
  {
    name: 'spam',
    label: 'Spam or ham (SpamAssassin)',
    examples: [
      'Congratulations! You have WON a FREE prize. Click here now to claim your cash reward, limited offer!!!',
      'Hi Tom, the meeting moved to Thursday at 10. I attached the notes from last week; can you review the build script before then?',
    ],
  },
] as const satisfies readonly { name: 'sentiment-transformer' | 'sentiment' | 'sentiment-bert' | 'sentiment-cross-bert' | 'spam'; label: string; examples: readonly string[] }[];

type TextModelName = (typeof TEXT_MODELS)[number]['name'];

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

/** A token as shown in the highlight: WordPiece continuations (`##ing`) join the previous piece, words get a space. */
const displayToken = (token: string, index: number) => (token.startsWith('##') ? token.slice(2) : index === 0 ? token : ` ${token}`);

/** Page 3: spam / sentiment of typed text, which tokens the decision rests on, and the Transformer's heads. */
export const textPage: Page = {
  id: 'text',
  title: 'Text',
  status: 'ready',
  render(container, { report }) {
    const modelSelect = h('select', { id: 'text-model', name: 'model' });
    const input = h('textarea', { id: 'text-input', name: 'text', rows: 4, cols: 70, spellcheck: false });
    const classify = h('button', { id: 'text-classify', type: 'button', class: 'primary' }, 'Classify');
    const examples = h('p', { class: 'examples', id: 'text-examples' });
    const message = h('p', { id: 'text-message', role: 'alert', class: 'error', hidden: true });
    const verdict = h('output', { id: 'text-label', class: 'digit-answer', for: 'text-input' }, '…');
    const bars = h('ol', { id: 'text-probabilities', class: 'bars', 'aria-label': 'Probability of each class' });
    const truncatedNote = h('p', { class: 'notice', id: 'text-truncated', hidden: true });
    const tokens = h('div', { id: 'text-tokens', class: 'token-highlight' });
    const tokensHelp = h('p', { class: 'help' });
    const layerSelect = h('select', { id: 'text-layer', name: 'layer' });
    const headSelect = h('select', { id: 'text-head', name: 'head' });
    const heatmap = h('figure', { id: 'text-heads', 'aria-label': 'Self-attention of one head' });
    const headsSection = h(
      'section',
      { 'aria-labelledby': 'text-heads-title', id: 'text-heads-section' },
      h('h2', { id: 'text-heads-title' }, 'Attention heads'),
      h('p', {}, 'Self-attention of one head of the Transformer encoder: each row is a token (query) and how it spreads its attention over the tokens (keys); colors span 0 to the map\'s largest weight. ', labeled('Layer', layerSelect), ' ', labeled('Head', headSelect)),
      heatmap,
    );
    const statusSlot = h('div');
    container.append(
      h('h1', { id: 'page-text-title' }, 'Text: what a classifier reads'),
      h(
        'p',
        {},
        `Small text classifiers of @heed/models (trained on the UCI sentiment sentences and on SpamAssassin emails) read your text on the ${report.name} backend. `,
        'Tokens are highlighted by how much the decision rests on them: attention rollout of [CLS] for the Transformers, the attention pooling weights for the BiLSTM.',
      ),
      h('div', { class: 'row controls' }, labeled('Model', modelSelect), statusSlot),
      h('p', {}, input),
      h('p', { class: 'row' }, classify),
      examples,
      message,
      h(
        'div',
        { class: 'row' },
        h('section', { 'aria-labelledby': 'text-verdict-title' }, h('h2', { id: 'text-verdict-title' }, 'Verdict'), h('p', {}, verdict), bars),
        h('section', { 'aria-labelledby': 'text-tokens-title', class: 'grow' }, h('h2', { id: 'text-tokens-title' }, 'Tokens'), truncatedNote, tokens, tokensHelp),
      ),
      headsSection,
    );

    let model: TextClassifier | HfTextClassifier | undefined;
    /** Whether a model has self-attention heads to show (heed's Transformer, or a Hugging Face BERT). */
    const hasHeads = (classifier: TextClassifier | HfTextClassifier) => classifier.config.kind === 'transformer' || classifier.config.kind === 'hf';
    let choice: (typeof TEXT_MODELS)[number] = TEXT_MODELS[0];
    let explanation: TextExplanation | undefined;
    let maps: TextAttentionMaps | undefined;
    let version = 0;

    const clearOutputs = () => {
      explanation = undefined;
      maps = undefined;
      verdict.textContent = '…';
      bars.replaceChildren();
      tokens.replaceChildren();
      heatmap.replaceChildren();
      truncatedNote.hidden = true;
    };
    const fail = (text: string) => {
      message.textContent = text;
      message.hidden = false;
      container.dataset.state = 'error';
    };
    const drawHead = () => {
      if (!explanation || !maps) return;
      const layer = Number(layerSelect.value);
      const head = headSelect.value === 'mean' ? 'mean' : Number(headSelect.value);
      const labels = explanation.tokens;
      const [, heads, tokens] = maps.shape;
      const shown = head === 'mean' ? maps.weights.subarray(layer * heads * tokens * tokens, (layer + 1) * heads * tokens * tokens) : maps.weights.subarray((layer * heads + head) * tokens * tokens, (layer * heads + head + 1) * tokens * tokens);
      heatmap.innerHTML = attentionHeatmapSvg({
        // Colors span 0 … this map's largest weight, so a nearly uniform head still shows its structure (the legend says so).
        domain: [0, Math.max(...shown)],
        weights: maps.weights,
        shape: maps.shape,
        layer,
        head,
        rowLabels: labels,
        columnLabels: labels,
        title: `Layer ${layer}, ${head === 'mean' ? 'mean of the heads' : `head ${head}`}: self-attention over the ${labels.length} tokens`,
      });
    };
    const run = async () => {
      const current = ++version;
      if (!model) return;
      container.dataset.state = 'computing';
      try {
        if (input.value.trim() === '') throw new Error('Type some text to classify (a sentence, a review or an email).');
        const result = await model.explain(input.value);
        const full = model.config.kind === 'hf' ? await (model as HfTextClassifier).attentionMaps(input.value) : model.config.kind === 'transformer' ? await transformerAttention(model as TextClassifier, input.value) : undefined;
        if (current !== version) return;
        message.hidden = true;
        explanation = result;
        maps = full;
        verdict.textContent = result.labelName;
        bars.replaceChildren(
          ...result.probabilities.map((probability, index) =>
            h(
              'li',
              { class: index === result.label ? 'best' : undefined, title: `${model!.config.labels[index]}: ${percent(probability)}` },
              h('span', { class: 'bar-label wide' }, model!.config.labels[index]!),
              h('span', { class: 'bar', style: `width: ${Math.max(0.5, probability * 100)}%` }),
              h('span', { class: 'bar-value' }, percent(probability)),
            ),
          ),
        );
        renderTokenHighlight(tokens, { tokens: result.tokens.map(displayToken), scores: result.weights, separator: '', title: 'How much the decision rests on each token' });
        truncatedNote.hidden = !result.truncated;
        truncatedNote.textContent = `The text is longer than the model's ${model.config.maxLength} tokens: it read only the tokens shown (the rest was cut, as in training).`;
        drawHead();
        Object.assign(container.dataset, {
          label: result.labelName,
          probabilities: JSON.stringify(result.probabilities),
          tokens: JSON.stringify(result.tokens),
          weights: JSON.stringify(result.weights),
          heads: full ? JSON.stringify({ shape: full.shape, weights: Array.from(full.weights) }) : '',
          state: 'ready',
        });
      } catch (error) {
        if (current !== version) return;
        clearOutputs();
        fail((error as Error).message);
      }
      container.dataset.version = String(current);
    };
    const useModel = async (name: TextModelName) => {
      choice = TEXT_MODELS.find((candidate) => candidate.name === name)!;
      const status = modelStatus(name, `${choice.label} model`, (classifier, results) => {
        const accuracy = (results?.metrics as { accuracy?: number } | undefined)?.accuracy;
        const { config } = classifier;
        const kind = config.kind === 'hf' ? `BERT, ${config.depth} layers × ${config.heads} heads, MLM-pretrained` : config.kind === 'transformer' ? `Transformer, ${config.depth} layers × ${config.heads} heads` : 'BiLSTM + attention pooling';
        return `Loaded the ${name} classifier (${kind}; ${classifier.countParams().toLocaleString('en')} parameters, up to ${classifier.config.maxLength} tokens${accuracy === undefined ? '' : `, ${percent(accuracy)} test accuracy`}).`;
      });
      statusSlot.replaceChildren(status.element);
      examples.replaceChildren('Try: ', ...choice.examples.flatMap((example, index) => [index > 0 ? ' · ' : '', h('button', { type: 'button', class: 'link', 'data-text': example }, `“${example.length > 40 ? `${example.slice(0, 38)}…` : example}”`)]));
      if (!input.value || TEXT_MODELS.some((candidate) => (candidate.examples as readonly string[]).includes(input.value))) input.value = choice.examples[0];
      model = undefined;
      classify.disabled = true;
      clearOutputs();
      container.dataset.state = 'loading';
      try {
        model = await status.load();
      } catch {
        container.dataset.state = 'error';
        return;
      }
      const transformer = hasHeads(model);
      headsSection.hidden = !transformer;
      tokensHelp.textContent = transformer
        ? 'Weights: attention rollout of [CLS] through all layers (Abnar & Zuidema 2020), summing to 1 over the tokens.'
        : 'Weights: the additive attention pooling over the BiLSTM states, summing to 1; this model has no self-attention heads.';
      if (transformer) {
        // Numbered from 0, as the heatmap labels them.
        layerSelect.replaceChildren(...Array.from({ length: model.config.depth }, (_, layer) => h('option', { value: layer }, String(layer))));
        headSelect.replaceChildren(h('option', { value: 'mean' }, 'mean'), ...Array.from({ length: model.config.heads }, (_, head) => h('option', { value: head }, String(head))));
        headSelect.value = '0';
      }
      classify.disabled = false;
      container.dataset.model = name;
      await run();
    };

    classify.addEventListener('click', () => void run());
    examples.addEventListener('click', (event) => {
      const text = (event.target as HTMLElement).closest<HTMLElement>('[data-text]')?.dataset.text;
      if (!text) return;
      input.value = text;
      void run();
    });
    layerSelect.addEventListener('change', drawHead);
    headSelect.addEventListener('change', drawHead);
    modelSelect.addEventListener('change', () => void useModel(modelSelect.value as TextModelName));
    container.dataset.state = 'loading';
    void shippedIndex()
      .then((models) => {
        const available = TEXT_MODELS.filter((candidate) => models[candidate.name] !== undefined);
        if (available.length === 0) {
          modelSelect.disabled = classify.disabled = true;
          fail('No text model is available: this build of the demo ships none of the sentiment, sentiment-transformer, sentiment-bert, sentiment-cross-bert and spam weights (packages/models/weights/).');
          return;
        }
        modelSelect.replaceChildren(...available.map((candidate) => h('option', { value: candidate.name }, candidate.label)));
        return useModel(available[0]!.name);
      })
      .catch((error: Error) => fail(error.message));
  },
};
