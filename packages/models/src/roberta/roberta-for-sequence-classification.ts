import * as tf from '@tensorflow/tfjs';
import { BertBackbone } from '../bert/bert-backbone';
import { bertBackboneConfig } from '../bert/bert-config';
import { dense, firstToken } from '../bert/embedding-lookup';
import type { HfRobertaConfig } from '../hf/config/hf-roberta-config';
import { numLabels } from '../hf/config/pretrained-config';
import type { HfForwardOptions, HfModelInputs, HfModelOutput } from '../hf/hf-model';
import { HfPretrainedModel, maybeDropout, type HfModelOptions } from '../hf/hf-pretrained-model';

/**
 * transformers' `RobertaForSequenceClassification`: RoBERTa without a pooler and
 * `RobertaClassificationHead` on `<s>`: `out_proj(dropout(tanh(dense(dropout(h[0])))))` →
 * `logits (batch, num_labels)`.
 *
 * @example
 * ```ts
 * const model = await fromPretrained<RobertaForSequenceClassification>(folderSource('roberta-sentiment'));
 * const { logits } = model.forward({ input_ids, attention_mask }); // (batch, labels)
 * ```
 */
export class RobertaForSequenceClassification extends HfPretrainedModel<HfRobertaConfig> {
  readonly backbone: BertBackbone;
  private readonly head: { dense: { kernel: tf.Variable; bias: tf.Variable }; outProj: { kernel: tf.Variable; bias: tf.Variable } };

  constructor(config: HfRobertaConfig, options: HfModelOptions = {}) {
    super(config, 'RobertaForSequenceClassification', options);
    this.backbone = new BertBackbone(bertBackboneConfig(config), this.parameters, { prefix: 'roberta', pooler: false, onWarning: this.onWarning });
    const { hidden_size: h, initializer_range: std } = config;
    const labels = numLabels(config);
    this.head = { dense: this.parameters.linear('classifier.dense', h, h, std), outProj: this.parameters.linear('classifier.out_proj', h, labels, std) };
  }

  forward(inputs: HfModelInputs, options: HfForwardOptions = {}): HfModelOutput {
    const rate = this.config.classifier_dropout ?? this.config.hidden_dropout_prob;
    const training = Boolean(options.training);
    return this.backbone.run(this.textInputs(inputs), options, ({ last_hidden_state }) => {
      const first = maybeDropout(firstToken(last_hidden_state), rate, training); // (batch, hidden): <s>
      const hidden = maybeDropout(tf.tanh(dense(first, this.head.dense.kernel, this.head.dense.bias)), rate, training); // (batch, hidden)
      return dense(hidden, this.head.outProj.kernel, this.head.outProj.bias); // (batch, labels)
    });
  }
}
