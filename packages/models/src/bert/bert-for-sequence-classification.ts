import type * as tf from '@tensorflow/tfjs';
import type { HfBertConfig } from '../hf/config/hf-bert-config';
import { numLabels } from '../hf/config/pretrained-config';
import type { HfForwardOptions, HfModelInputs, HfModelOutput } from '../hf/hf-model';
import { HfPretrainedModel, maybeDropout, type HfModelOptions } from '../hf/hf-pretrained-model';
import { BertBackbone } from './bert-backbone';
import { bertBackboneConfig } from './bert-config';
import { dense } from './embedding-lookup';

/**
 * transformers' `BertForSequenceClassification`: BERT, its pooler `tanh(W·h[CLS] + b)`, dropout
 * (`classifier_dropout`, else `hidden_dropout_prob`) and `classifier` → `logits (batch, num_labels)`
 * (`num_labels = len(id2label)`). Train it with cross-entropy (or MSE when `num_labels` is 1).
 *
 * @example
 * ```ts
 * const model = await fromPretrained(folderSource('bert-sst2')) as BertForSequenceClassification;
 * const { logits } = model.forward(tokenizer.encode(['a very good film'])); // (1, 2)
 * model.config.id2label[logits.argMax(-1).dataSync()[0]!]; // "POSITIVE"
 * ```
 */
export class BertForSequenceClassification extends HfPretrainedModel<HfBertConfig> {
  readonly backbone: BertBackbone;
  private readonly classifier: { kernel: tf.Variable; bias: tf.Variable };

  constructor(config: HfBertConfig, options: HfModelOptions = {}) {
    super(config, 'BertForSequenceClassification', options);
    this.backbone = new BertBackbone(bertBackboneConfig(config), this.parameters, { prefix: 'bert', pooler: true, onWarning: this.onWarning });
    const { hidden_size: h, initializer_range: std } = config;
    const labels = numLabels(config);
    this.classifier = this.parameters.linear('classifier', h, labels, std);
  }

  forward(inputs: HfModelInputs, options: HfForwardOptions = {}): HfModelOutput {
    const rate = this.config.classifier_dropout ?? this.config.hidden_dropout_prob;
    return this.backbone.run(this.textInputs(inputs), options, ({ pooler_output }) =>
      dense(maybeDropout(pooler_output!, rate, Boolean(options.training)), this.classifier.kernel, this.classifier.bias)); // (batch, labels)
  }
}
