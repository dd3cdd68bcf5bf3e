import * as tf from '@tensorflow/tfjs';
import { layerNormalization } from '@heed/attention';
import { BertBackbone } from '../bert/bert-backbone';
import { bertBackboneConfig } from '../bert/bert-config';
import { dense } from '../bert/embedding-lookup';
import { hiddenActivation } from '../bert/hidden-activation';
import { DISTILBERT_LAYER_NORM_EPS, type HfDistilBertConfig } from '../hf/config/hf-distilbert-config';
import type { HfForwardOptions, HfModelInputs, HfModelOutput } from '../hf/hf-model';
import { HfPretrainedModel, type HfModelOptions } from '../hf/hf-pretrained-model';

/**
 * transformers' `DistilBertForMaskedLM`: DistilBERT, `vocab_layer_norm(act(vocab_transform(h)))`,
 * then `vocab_projector` tied to the word embeddings (its own bias `vocab_projector.bias`) →
 * `logits (batch, tokens, vocab_size)`.
 *
 * @example
 * ```ts
 * const model = await fromPretrained<DistilBertForMaskedLM>(folderSource('distilbert-base-uncased'));
 * const { logits } = model.forward({ input_ids, attention_mask }); // (batch, tokens, 30522)
 * ```
 */
export class DistilBertForMaskedLM extends HfPretrainedModel<HfDistilBertConfig> {
  readonly backbone: BertBackbone;
  private readonly head: { kernel: tf.Variable; bias: tf.Variable; gamma: tf.Variable; beta: tf.Variable; projectorBias: tf.Variable };

  constructor(config: HfDistilBertConfig, options: HfModelOptions = {}) {
    super(config, 'DistilBertForMaskedLM', options);
    this.backbone = new BertBackbone(bertBackboneConfig(config), this.parameters, { prefix: 'distilbert', pooler: false, onWarning: this.onWarning });
    const { dim, initializer_range: std, vocab_size: vocab } = config;
    const create = this.parameters.create.bind(this.parameters);
    this.head = {
      kernel: create('vocab_transform.weight', [dim, dim], [dim, dim], 'linear', 'normal', std),
      bias: create('vocab_transform.bias', [dim], [dim], 'copy', 'zeros', std),
      gamma: create('vocab_layer_norm.weight', [dim], [dim], 'copy', 'ones', std),
      beta: create('vocab_layer_norm.bias', [dim], [dim], 'copy', 'zeros', std),
      projectorBias: create('vocab_projector.bias', [vocab], [vocab], 'copy', 'zeros', std),
    };
  }

  forward(inputs: HfModelInputs, options: HfForwardOptions = {}): HfModelOutput {
    const activation = hiddenActivation(this.config.activation);
    return this.backbone.run(this.textInputs(inputs), options, ({ last_hidden_state }) => {
      const [batch, time, dim] = last_hidden_state.shape;
      const transformed = layerNormalization(activation(dense(last_hidden_state, this.head.kernel, this.head.bias)), this.head.gamma, this.head.beta, DISTILBERT_LAYER_NORM_EPS); // (batch, time, dim)
      const scores = tf.matMul(transformed.reshape([batch * time, dim]), this.backbone.wordEmbeddings, false, true); // (batch·time, vocab): tied projector
      return tf.add(scores, this.head.projectorBias).reshape([batch, time, this.config.vocab_size]); // (batch, time, vocab)
    });
  }
}
