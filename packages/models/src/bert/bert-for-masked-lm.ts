import * as tf from '@tensorflow/tfjs';
import { layerNormalization } from '@heed/attention';
import type { HfBertConfig } from '../hf/config/hf-bert-config';
import type { HfForwardOptions, HfModelInputs, HfModelOutput } from '../hf/hf-model';
import { HfPretrainedModel, type HfModelOptions } from '../hf/hf-pretrained-model';
import { BertBackbone } from './bert-backbone';
import { bertBackboneConfig } from './bert-config';
import { dense } from './embedding-lookup';
import { hiddenActivation } from './hidden-activation';

/**
 * transformers' `BertForMaskedLM`: BERT without a pooler, the prediction transform
 * `LN(act(W·h + b))` and a decoder tied to the word embeddings (`h · Eᵀ + cls.predictions.bias`)
 * → `logits (batch, tokens, vocab_size)`. The decoder weight is the word-embedding variable itself:
 * training updates both as one, and saving writes it once (as `save_pretrained` does).
 *
 * @example
 * ```ts
 * const model = await fromPretrained(folderSource('bert-base-uncased')) as BertForMaskedLM;
 * const { logits } = model.forward({ input_ids }); // (1, tokens, 30522): argMax at [MASK] is the guess
 * ```
 */
export class BertForMaskedLM extends HfPretrainedModel<HfBertConfig> {
  readonly backbone: BertBackbone;
  private readonly transform: { kernel: tf.Variable; bias: tf.Variable; gamma: tf.Variable; beta: tf.Variable };
  private readonly decoderBias: tf.Variable;

  constructor(config: HfBertConfig, options: HfModelOptions = {}) {
    super(config, 'BertForMaskedLM', options);
    this.backbone = new BertBackbone(bertBackboneConfig(config), this.parameters, { prefix: 'bert', pooler: false, onWarning: this.onWarning });
    const { hidden_size: h, initializer_range: std, vocab_size: vocab } = config;
    const create = this.parameters.create.bind(this.parameters);
    this.transform = {
      kernel: create('cls.predictions.transform.dense.weight', [h, h], [h, h], 'linear', 'normal', std),
      bias: create('cls.predictions.transform.dense.bias', [h], [h], 'copy', 'zeros', std),
      gamma: create('cls.predictions.transform.LayerNorm.weight', [h], [h], 'copy', 'ones', std),
      beta: create('cls.predictions.transform.LayerNorm.bias', [h], [h], 'copy', 'zeros', std),
    };
    this.decoderBias = create('cls.predictions.bias', [vocab], [vocab], 'copy', 'zeros', std);
  }

  forward(inputs: HfModelInputs, options: HfForwardOptions = {}): HfModelOutput {
    const activation = hiddenActivation(this.config.hidden_act);
    return this.backbone.run(this.textInputs(inputs), options, ({ last_hidden_state }) => {
      const [batch, time, h] = last_hidden_state.shape;
      const transformed = layerNormalization(activation(dense(last_hidden_state, this.transform.kernel, this.transform.bias)), this.transform.gamma, this.transform.beta, this.config.layer_norm_eps); // (batch, time, hidden)
      const scores = tf.matMul(transformed.reshape([batch * time, h]), this.backbone.wordEmbeddings, false, true); // (batch·time, vocab): tied decoder
      return tf.add(scores, this.decoderBias).reshape([batch, time, this.config.vocab_size]); // (batch, time, vocab)
    });
  }
}
