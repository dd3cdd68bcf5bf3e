import type * as tf from '@tensorflow/tfjs';
import type { HfForwardOptions, HfModelInputs, HfModelOutput } from '../hf/hf-model';
import { HfPretrainedModel, maybeDropout, type HfModelOptions } from '../hf/hf-pretrained-model';
import { numLabels } from '../hf/config/pretrained-config';
import { BertBackbone } from './bert-backbone';
import { bertBackboneConfig, type BertFamilyConfig } from './bert-config';
import { dense } from './embedding-lookup';

/**
 * What `BertForTokenClassification`, `RobertaForTokenClassification` and
 * `DistilBertForTokenClassification` share: the family's encoder without a pooler (weights under
 * `prefix.`), then dropout and `classifier` on every token → `logits (batch, tokens, num_labels)`.
 * A family gives its prefix and its dropout rate. @internal
 *
 * @example
 * ```ts
 * class MyTokenClassifier extends TokenClassificationModel<HfBertConfig> {
 *   constructor(config: HfBertConfig) { super(config, 'BertForTokenClassification', 'bert', config.hidden_dropout_prob); }
 * }
 * ```
 */
export abstract class TokenClassificationModel<C extends BertFamilyConfig> extends HfPretrainedModel<C> {
  readonly backbone: BertBackbone;
  private readonly classifier: { kernel: tf.Variable; bias: tf.Variable };

  /** @param dropout - The rate before the classifier (HF `classifier_dropout` or its family's fallback). */
  protected constructor(config: C, architecture: string, prefix: string, private readonly dropout: number, options: HfModelOptions = {}) {
    super(config, architecture, options);
    const backboneConfig = bertBackboneConfig(config);
    this.backbone = new BertBackbone(backboneConfig, this.parameters, { prefix, pooler: false, onWarning: this.onWarning });
    this.classifier = this.parameters.linear('classifier', backboneConfig.hiddenSize, numLabels(config), config.initializer_range);
  }

  forward(inputs: HfModelInputs, options: HfForwardOptions = {}): HfModelOutput {
    return this.backbone.run(this.textInputs(inputs), options, ({ last_hidden_state }) =>
      dense(maybeDropout(last_hidden_state, this.dropout, Boolean(options.training)), this.classifier.kernel, this.classifier.bias)); // (batch, tokens, labels)
  }
}
