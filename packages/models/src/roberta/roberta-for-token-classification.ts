import type * as tf from '@tensorflow/tfjs';
import { BertBackbone } from '../bert/bert-backbone';
import { bertBackboneConfig } from '../bert/bert-config';
import { dense } from '../bert/embedding-lookup';
import type { HfRobertaConfig } from '../hf/config/hf-roberta-config';
import { numLabels } from '../hf/config/pretrained-config';
import type { HfForwardOptions, HfModelInputs, HfModelOutput } from '../hf/hf-model';
import { HfPretrainedModel, maybeDropout, type HfModelOptions } from '../hf/hf-pretrained-model';

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
export class RobertaForTokenClassification extends HfPretrainedModel<HfRobertaConfig> {
  readonly backbone: BertBackbone;
  private readonly classifier: { kernel: tf.Variable; bias: tf.Variable };

  constructor(config: HfRobertaConfig, options: HfModelOptions = {}) {
    super(config, 'RobertaForTokenClassification', options);
    this.backbone = new BertBackbone(bertBackboneConfig(config), this.parameters, { prefix: 'roberta', pooler: false, onWarning: this.onWarning });
    this.classifier = this.parameters.linear('classifier', config.hidden_size, numLabels(config), config.initializer_range);
  }

  forward(inputs: HfModelInputs, options: HfForwardOptions = {}): HfModelOutput {
    const rate = this.config.classifier_dropout ?? this.config.hidden_dropout_prob;
    return this.backbone.run(this.textInputs(inputs), options, ({ last_hidden_state }) =>
      dense(maybeDropout(last_hidden_state, rate, Boolean(options.training)), this.classifier.kernel, this.classifier.bias)); // (batch, tokens, labels)
  }
}
