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
