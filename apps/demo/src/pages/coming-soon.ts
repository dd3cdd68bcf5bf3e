import { placeholderPage } from './placeholder';

// Pages whose models (packages/models) do not ship loadable weights yet.

export const textPage = placeholderPage({
  id: 'text',
  title: 'Text',
  summary: 'Type a sentence or an email and a small Transformer classifier says whether it is positive or negative, spam or not.',
  features: [
    'class probabilities for the typed text',
    'token highlighting: which words pushed the decision',
    'the per-head attention maps of the Transformer classifier',
  ],
  waitingFor: 'the Transformer text classifiers of @heed/models are still being built, and no trained weights ship yet.',
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
  waitingFor: '@heed/models has the VisionTransformer (with attention maps and rollout), but no trained weights ship with it yet; this page will load them (lazily, with progress) once they do.',
});
