import { describeFixtureParity } from '../hf/testing/hf-fixtures';

await describeFixtureParity([
  { name: 'roberta-seq-cls-f32', architecture: 'RobertaForSequenceClassification' },
  { name: 'roberta-mlm-f32', architecture: 'RobertaForMaskedLM' },
  { name: 'roberta-token-cls-f32', architecture: 'RobertaForTokenClassification' },
], true);
