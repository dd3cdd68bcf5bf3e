import { describeFixtureParity } from '../hf/testing/hf-fixtures';

await describeFixtureParity([
  { name: 'bert-seq-cls-f32', architecture: 'BertForSequenceClassification' },
  { name: 'bert-mlm-f16', architecture: 'BertForMaskedLM' },
  { name: 'bert-base-bf16', architecture: 'BertModel', gradients: false },
  { name: 'bert-token-cls-f32', architecture: 'BertForTokenClassification' },
], true);
