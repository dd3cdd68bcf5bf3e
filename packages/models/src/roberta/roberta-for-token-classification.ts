import type { HfRobertaConfig } from '../hf/config/hf-roberta-config';
import type { HfModelOptions } from '../hf/hf-pretrained-model';
import { TokenClassificationModel } from '../bert/token-classification-model';

/**
 * transformers' `RobertaForTokenClassification` (NER, POS tagging): RoBERTa without a pooler,
 * dropout (`classifier_dropout`, else `hidden_dropout_prob`) and `classifier` on every token →
 * `logits (batch, tokens, num_labels)`. Weights: `roberta.…`, `classifier.weight/bias`.
 *
 * @example
 * ```ts
 * const model = await fromPretrained<RobertaForTokenClassification>(folderSource('roberta-ner'));
 * const { logits } = model.forward({ input_ids, attention_mask }); // (batch, tokens, labels)
 * ```
 */
export class RobertaForTokenClassification extends TokenClassificationModel<HfRobertaConfig> {
  constructor(config: HfRobertaConfig, options: HfModelOptions = {}) {
    super(config, 'RobertaForTokenClassification', 'roberta', config.classifier_dropout ?? config.hidden_dropout_prob, options);
  }
}
