import type * as tf from '@tensorflow/tfjs';
import { BertBackbone } from '../bert/bert-backbone';
import { bertBackboneConfig } from '../bert/bert-config';
import { dense } from '../bert/embedding-lookup';
import type { HfDistilBertConfig } from '../hf/config/hf-distilbert-config';
import { numLabels } from '../hf/config/pretrained-config';
import type { HfForwardOptions, HfModelInputs, HfModelOutput } from '../hf/hf-model';
import { HfPretrainedModel, maybeDropout, type HfModelOptions } from '../hf/hf-pretrained-model';

/**
 * transformers' `DistilBertForTokenClassification` (NER, POS tagging): DistilBERT, dropout
 * (`dropout`) and `classifier` on every token → `logits (batch, tokens, num_labels)`. Weights:
 * `distilbert.…`, `classifier.weight/bias`.
 *
 * @example
 * ```ts
 * const model = await fromPretrained<DistilBertForTokenClassification>(folderSource('distilbert-ner'));
 * const { logits } = model.forward({ input_ids, attention_mask }); // (batch, tokens, labels)
 * ```
 */
export class DistilBertForTokenClassification extends HfPretrainedModel<HfDistilBertConfig> {
  readonly backbone: BertBackbone;
  private readonly classifier: { kernel: tf.Variable; bias: tf.Variable };

  constructor(config: HfDistilBertConfig, options: HfModelOptions = {}) {
    super(config, 'DistilBertForTokenClassification', options);
    this.backbone = new BertBackbone(bertBackboneConfig(config), this.parameters, { prefix: 'distilbert', pooler: false, onWarning: this.onWarning });
    this.classifier = this.parameters.linear('classifier', config.dim, numLabels(config), config.initializer_range);
  }

  forward(inputs: HfModelInputs, options: HfForwardOptions = {}): HfModelOutput {
    return this.backbone.run(this.textInputs(inputs), options, ({ last_hidden_state }) =>
      dense(maybeDropout(last_hidden_state, this.config.dropout, Boolean(options.training)), this.classifier.kernel, this.classifier.bias)); // (batch, tokens, labels)
  }
}
