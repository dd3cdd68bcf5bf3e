import * as tf from '@tensorflow/tfjs';
import { gelu, layerNormalization } from '@heed/attention';
import { BertBackbone } from '../bert/bert-backbone';
import { bertBackboneConfig } from '../bert/bert-config';
import { dense } from '../bert/embedding-lookup';
import type { HfRobertaConfig } from '../hf/config/hf-roberta-config';
import type { HfForwardOptions, HfModelInputs, HfModelOutput } from '../hf/hf-model';
import { HfPretrainedModel, type HfModelOptions } from '../hf/hf-pretrained-model';

/**
 * transformers' `RobertaForMaskedLM`: RoBERTa without a pooler and `RobertaLMHead`
 * `LN(gelu(dense(h))) · Eᵀ + lm_head.bias` with the decoder tied to the word embeddings →
 * `logits (batch, tokens, vocab_size)`. The head's GELU is always the erf form, whatever
 * `hidden_act` says (as modeling_roberta.py).
 *
 * @example
 * ```ts
 * const model = await fromPretrained<RobertaForMaskedLM>(folderSource('roberta-base'));
 * const { logits } = model.forward({ input_ids, attention_mask }); // (batch, tokens, 50265)
 * ```
 */
export class RobertaForMaskedLM extends HfPretrainedModel<HfRobertaConfig> {
  readonly backbone: BertBackbone;
  private readonly head: { kernel: tf.Variable; bias: tf.Variable; gamma: tf.Variable; beta: tf.Variable; decoderBias: tf.Variable };

  constructor(config: HfRobertaConfig, options: HfModelOptions = {}) {
    super(config, 'RobertaForMaskedLM', options);
    this.backbone = new BertBackbone(bertBackboneConfig(config), this.parameters, { prefix: 'roberta', pooler: false, onWarning: this.onWarning });
    const { hidden_size: h, initializer_range: std, vocab_size: vocab } = config;
    const create = this.parameters.create.bind(this.parameters);
    this.head = {
      kernel: create('lm_head.dense.weight', [h, h], [h, h], 'linear', 'normal', std),
      bias: create('lm_head.dense.bias', [h], [h], 'copy', 'zeros', std),
      gamma: create('lm_head.layer_norm.weight', [h], [h], 'copy', 'ones', std),
      beta: create('lm_head.layer_norm.bias', [h], [h], 'copy', 'zeros', std),
      decoderBias: create('lm_head.bias', [vocab], [vocab], 'copy', 'zeros', std),
    };
  }

  forward(inputs: HfModelInputs, options: HfForwardOptions = {}): HfModelOutput {
    return this.backbone.run(this.textInputs(inputs), options, ({ last_hidden_state }) => {
      const [batch, time, h] = last_hidden_state.shape;
      const transformed = layerNormalization(gelu(dense(last_hidden_state, this.head.kernel, this.head.bias)), this.head.gamma, this.head.beta, this.config.layer_norm_eps); // (batch, time, hidden)
      const scores = tf.matMul(transformed.reshape([batch * time, h]), this.backbone.wordEmbeddings, false, true); // (batch·time, vocab): tied decoder
      return tf.add(scores, this.head.decoderBias).reshape([batch, time, this.config.vocab_size]); // (batch, time, vocab)
    });
  }
}
