import type { Seq2Seq } from '@heed/models';
import { attentionHeatmapSvg } from '@heed/viz';
import { modelStatus } from '../models/model-status';
import { BEAM_SIZE, pronounceWord } from '../pronounce/pronounce-word';
import { h } from '../shell/dom';
import type { Page } from '../shell/page';

const EXAMPLES = ['heed', 'attention', 'colonel', 'phoneme', 'worcestershire', 'quixotic'];

const percent = (value: unknown) => (typeof value === 'number' ? `${(value * 100).toFixed(1)}%` : '?');

/** Page 1: a word → ARPAbet phonemes with the shipped CMUdict G2P Seq2Seq, and its letter ↔ phoneme alignment. */
export const pronouncePage: Page = {
  id: 'pronounce',
  title: 'Pronounce',
  status: 'ready',
  render(container, { report }) {
    const status = modelStatus('g2p', 'pronunciation model', (model, results) =>
      `Loaded the ${model.config.attention} Seq2Seq (${model.countParams().toLocaleString('en')} parameters; ${percent(results?.wer)} word error rate, ${percent(results?.per)} phoneme error rate on held-out CMUdict words).`,
    );
    const word = h('input', { id: 'pronounce-word', name: 'word', type: 'text', size: 24, value: 'heed', autocomplete: 'off', spellcheck: false, 'aria-describedby': 'pronounce-help' });
    const greedy = h('input', { id: 'pronounce-greedy', type: 'radio', name: 'search', value: 'greedy', checked: true });
    const beam = h('input', { id: 'pronounce-beam', type: 'radio', name: 'search', value: 'beam' });
    const submit = h('button', { type: 'submit', class: 'primary', id: 'pronounce-go' }, 'Pronounce');
    const form = h(
      'form',
      { class: 'row controls', id: 'pronounce-form' },
      h('label', {}, 'Word ', word),
      h('fieldset', {}, h('legend', {}, 'Search'), h('label', {}, greedy, ' greedy'), ' ', h('label', {}, beam, ` beam (width ${BEAM_SIZE})`)),
      submit,
    );
    const examples = h('p', { class: 'examples' }, 'Try: ', ...EXAMPLES.flatMap((example, index) => [index > 0 ? ' · ' : '', h('button', { type: 'button', class: 'link', 'data-word': example }, example)]));
    const message = h('p', { id: 'pronounce-message', role: 'alert', class: 'error', hidden: true });
    const phonemes = h('output', { id: 'pronounce-phonemes', for: 'pronounce-word', class: 'big-output' }, '…');
    const figure = h('figure', { id: 'pronounce-alignment', 'aria-label': 'Alignment of phonemes and letters' });
    container.append(
      h('h1', { id: 'page-pronounce-title' }, 'Pronounce: letters to sounds'),
      h(
        'p',
        {},
        `A grapheme-to-phoneme Seq2Seq of @heed/models (BiLSTM encoder, LSTM decoder with Luong attention), trained on CMUdict, reads a word letter by letter and writes its ARPAbet phonemes (stress removed), here on the ${report.name} backend. `,
        'The heatmap shows where the decoder looked: one row per phoneme it wrote, one column per letter.',
      ),
      status.element,
      form,
      h('p', { id: 'pronounce-help', class: 'help' }, 'Letters a–z and the apostrophe; greedy search takes the most likely phoneme at each step, beam search keeps the best few partial pronunciations.'),
      examples,
      message,
      h('h2', {}, 'Phonemes'),
      h('p', {}, phonemes),
      h('h2', {}, 'Alignment'),
      figure,
    );
    let model: Seq2Seq | undefined;
    let version = 0;
    const run = async () => {
      if (!model) return;
      const current = ++version;
      container.dataset.state = 'computing';
      const search = beam.checked ? 'beam' : 'greedy';
      try {
        const result = await pronounceWord(model, word.value, search);
        if (current !== version) return;
        message.hidden = true;
        phonemes.textContent = result.phonemes.join(' ') || '(no phonemes)';
        figure.innerHTML = attentionHeatmapSvg({
          weights: result.alignment,
          rowLabels: result.steps,
          columnLabels: result.letters,
          cellSize: Math.max(16, Math.min(32, Math.floor(480 / Math.max(result.letters.length, result.steps.length)))),
          title: `${search === 'beam' ? `Beam search (width ${BEAM_SIZE})` : 'Greedy search'}: attention of each phoneme over the letters of “${result.word}”`,
        });
        Object.assign(container.dataset, { word: result.word, search, phonemes: JSON.stringify(result.phonemes), state: 'ready' });
      } catch (error) {
        if (current !== version) return;
        message.textContent = (error as Error).message;
        message.hidden = false;
        phonemes.textContent = '';
        figure.replaceChildren();
        container.dataset.state = 'error';
      }
      container.dataset.version = String(current);
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void run();
    });
    greedy.addEventListener('change', () => void run());
    beam.addEventListener('change', () => void run());
    examples.addEventListener('click', (event) => {
      const example = (event.target as HTMLElement).dataset.word;
      if (!example) return;
      word.value = example;
      void run();
    });
    submit.disabled = true;
    container.dataset.state = 'loading';
    void status
      .load()
      .then((loaded) => {
        model = loaded;
        submit.disabled = false;
        return run();
      })
      .catch(() => {
        container.dataset.state = 'error';
        phonemes.textContent = '';
      });
  },
};
