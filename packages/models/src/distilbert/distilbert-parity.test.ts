import { describeFixtureParity } from '../hf/testing/hf-fixtures';

await describeFixtureParity([
  { name: 'distilbert-seq-cls-f32', architecture: 'DistilBertForSequenceClassification' },
  { name: 'distilbert-mlm-f32', architecture: 'DistilBertForMaskedLM' },
  { name: 'distilbert-token-cls-f32', architecture: 'DistilBertForTokenClassification' },
], true);
