import { placeholderPage } from './placeholder';

// Pages whose models (packages/models) do not ship loadable weights yet.

export const pronouncePage = placeholderPage({
  id: 'pronounce',
  title: 'Pronounce',
  summary: 'Type an English word and a grapheme-to-phoneme seq2seq model (trained on CMUdict) spells out how it sounds.',
  features: [
    'the phonemes (ARPAbet) of a typed word, greedy and beam search side by side',
    'the letter ↔ phoneme alignment heatmap of the decoder’s attention',
    'the same answer as the Node CLI for the same word',
  ],
  waitingFor: 'the G2P model with shipped weights (packages/models) is still being trained.',
});

export const textPage = placeholderPage({
  id: 'text',
  title: 'Text',
  summary: 'Type a sentence or an email and a small Transformer classifier says whether it is positive or negative, spam or not.',
  features: [
    'class probabilities for the typed text',
    'token highlighting: which words pushed the decision',
    'the per-head attention maps of the Transformer classifier',
  ],
  waitingFor: 'the text classifiers with shipped weights (packages/models) are still being built.',
});

export const digitsPage = placeholderPage({
  id: 'digits',
  title: 'Digits',
  summary: 'Draw a digit and a small Vision Transformer (trained on MNIST) reads it.',
  features: [
    'a drawing canvas (mouse, touch or pen)',
    'the predicted digit and all ten class probabilities',
    'patch attention of [CLS] over your drawing, per layer, and attention rollout',
  ],
  waitingFor: 'the ViT model with shipped weights (packages/models) is still being built.',
});
