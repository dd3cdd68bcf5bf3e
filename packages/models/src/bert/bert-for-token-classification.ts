import type * as tf from '@tensorflow/tfjs';
import type { HfBertConfig } from '../hf/config/hf-bert-config';
import { numLabels } from '../hf/config/pretrained-config';
import type { HfForwardOptions, HfModelInputs, HfModelOutput } from '../hf/hf-model';
import { HfPretrainedModel, maybeDropout, type HfModelOptions } from '../hf/hf-pretrained-model';
import { BertBackbone } from './bert-backbone';
import { bertBackboneConfig } from './bert-config';
import { dense } from './embedding-lookup';

/**
 * transformers' `BertForTokenClassification` (NER, POS tagging): BERT without a pooler, dropout
 * and `classifier` on every token → `logits (batch, tokens, num_labels)`.
 *
 * @example
 * ```ts
 * const model = new BertForTokenClassification(parseBertConfig({ num_labels: 9 }));
 * const { logits } = model.forward({ input_ids, attention_mask }); // (batch, tokens, 9)
 * ```
 */
export class BertForTokenClassification extends HfPretrainedModel<HfBertConfig> {
  readonly backbone: BertBackbone;
  private readonly classifier: { kernel: tf.Variable; bias: tf.Variable };

  constructor(config: HfBertConfig, options: HfModelOptions = {}) {
    super(config, 'BertForTokenClassification', options);
    this.backbone = new BertBackbone(bertBackboneConfig(config), this.parameters, { prefix: 'bert', pooler: false, onWarning: this.onWarning });
    const { hidden_size: h, initializer_range: std } = config;
    const labels = numLabels(config);
    this.classifier = {
      kernel: this.parameters.create('classifier.weight', [h, labels], [labels, h], 'linear', 'normal', std),
      bias: this.parameters.create('classifier.bias', [labels], [labels], 'copy', 'zeros', std),
    };
  }

  forward(inputs: HfModelInputs, options: HfForwardOptions = {}): HfModelOutput {
    const rate = this.config.classifier_dropout ?? this.config.hidden_dropout_prob;
    return this.backbone.run(this.textInputs(inputs), options, ({ last_hidden_state }) =>
      dense(maybeDropout(last_hidden_state, rate, Boolean(options.training)), this.classifier.kernel, this.classifier.bias)); // (batch, tokens, labels)
  }
}
