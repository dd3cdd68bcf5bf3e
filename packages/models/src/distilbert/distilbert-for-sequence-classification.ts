import * as tf from '@tensorflow/tfjs';
import { BertBackbone } from '../bert/bert-backbone';
import { bertBackboneConfig } from '../bert/bert-config';
import { dense, firstToken } from '../bert/embedding-lookup';
import type { HfDistilBertConfig } from '../hf/config/hf-distilbert-config';
import { numLabels } from '../hf/config/pretrained-config';
import type { HfForwardOptions, HfModelInputs, HfModelOutput } from '../hf/hf-model';
import { HfPretrainedModel, maybeDropout, type HfModelOptions } from '../hf/hf-pretrained-model';

/**
 * transformers' `DistilBertForSequenceClassification`: DistilBERT, then on the first token
 * `classifier(dropout(relu(pre_classifier(h[0]))))` (dropout `seq_classif_dropout`) →
 * `logits (batch, num_labels)`.
 *
 * @example
 * ```ts
 * const model = await fromPretrained<DistilBertForSequenceClassification>(folderSource('distilbert-sst2'));
 * const { logits } = model.forward({ input_ids, attention_mask }); // (batch, 2)
 * ```
 */
export class DistilBertForSequenceClassification extends HfPretrainedModel<HfDistilBertConfig> {
  readonly backbone: BertBackbone;
  private readonly head: { preClassifier: { kernel: tf.Variable; bias: tf.Variable }; classifier: { kernel: tf.Variable; bias: tf.Variable } };

  constructor(config: HfDistilBertConfig, options: HfModelOptions = {}) {
    super(config, 'DistilBertForSequenceClassification', options);
    this.backbone = new BertBackbone(bertBackboneConfig(config), this.parameters, { prefix: 'distilbert', pooler: false, onWarning: this.onWarning });
    const { dim, initializer_range: std } = config;
    const labels = numLabels(config);
    this.head = { preClassifier: this.parameters.linear('pre_classifier', dim, dim, std), classifier: this.parameters.linear('classifier', dim, labels, std) };
  }

  forward(inputs: HfModelInputs, options: HfForwardOptions = {}): HfModelOutput {
    const training = Boolean(options.training);
    return this.backbone.run(this.textInputs(inputs), options, ({ last_hidden_state }) => {
      const pooled = tf.relu(dense(firstToken(last_hidden_state), this.head.preClassifier.kernel, this.head.preClassifier.bias)); // (batch, dim)
      return dense(maybeDropout(pooled, this.config.seq_classif_dropout, training), this.head.classifier.kernel, this.head.classifier.bias); // (batch, labels)
    });
  }
}
