import * as tf from '@tensorflow/tfjs';
import { layerNormalization, TransformerEncoderBlock, type FeedForwardActivation } from '@heed/attention';
import type { HfForwardOptions, HfModelOutput, HfTextInputs } from '../hf/hf-model';
import type { HfParameters } from '../hf/hf-parameters';
import { disposeCopies } from '../hf/hf-pretrained-model';
import type { BertBackboneConfig } from './bert-config';
import { checkTokenIds } from './check-token-ids';
import { dense, embeddingLookup, firstToken } from './embedding-lookup';
import { sinusoidalPositionTable } from './sinusoidal-position-table';

/** What {@link BertBackbone.call} returns (HF names). */
export interface BertBackboneOutput {
  readonly last_hidden_state: tf.Tensor3D;
  readonly pooler_output?: tf.Tensor2D;
  readonly hidden_states?: tf.Tensor3D[];
  readonly attentions?: tf.Tensor4D[];
}

/** Options of {@link BertBackbone}. */
export interface BertBackboneOptions {
  /** The base-model prefix of the weight names (`bert`, `roberta`, `distilbert`), empty for a base-model class. */
  readonly prefix: string;
  /** Whether it has BERT's pooler (`tanh(dense(h[:, 0]))`). */
  readonly pooler: boolean;
  /** Called with a message when an input is cut to the longest the positions allow. */
  readonly onWarning: (message: string) => void;
}

type Norm = { gamma: tf.Variable; beta: tf.Variable };

/**
 * The block's dropout rates where modeling_bert.py / modeling_distilbert.py put them: the attention
 * weights take `attention_probs_dropout_prob` (`attention_dropout`); BERT and RoBERTa drop each
 * sublayer's output with `hidden_dropout_prob`, DistilBERT only the FFN's (`dropout`); neither
 * drops the FFN hidden layer.
 */
function blockDropout(config: BertBackboneConfig) {
  return {
    dropout: config.hiddenDropout,
    attentionDropout: config.attentionDropout,
    attentionOutputDropout: config.naming === 'distilbert' ? 0 : config.hiddenDropout,
    intermediateDropout: 0,
  };
}

/**
 * The encoder of BERT (Devlin et al. 2019), RoBERTa (Liu et al. 2019) and DistilBERT (Sanh et al.
 * 2019): embeddings `LN(word + position [+ token type])` with dropout, then post-norm
 * {@link TransformerEncoderBlock}s (`x = LN₁(x + MHA(x)); x = LN₂(x + FFN(x))`), then optionally
 * the pooler `tanh(W·h[CLS] + b)`. Every weight is registered in `parameters` under its HF name.
 *
 * `(batch, tokens)` ids → `(batch, tokens, hidden)`. The attention mask `(batch, tokens)` (1 =
 * token, 0 = padding) blocks padded keys, as HF's additive `(1 − mask)·finfo.min`.
 *
 * @example
 * ```ts
 * const parameters = new HfParameters();
 * const backbone = new BertBackbone(bertBackboneConfig(config), parameters, { prefix: 'bert', pooler: true, onWarning: console.warn });
 * const { last_hidden_state, pooler_output } = backbone.run({ input_ids, attention_mask }); // (batch, tokens, hidden), (batch, hidden)
 * parameters.all[0]!.name; // "bert.embeddings.word_embeddings.weight"
 * ```
 */
export class BertBackbone {
  readonly blocks: TransformerEncoderBlock[] = [];
  readonly wordEmbeddings: tf.Variable;
  private readonly positionEmbeddings: tf.Variable;
  private readonly tokenTypeEmbeddings?: tf.Variable;
  private readonly embeddingNorm: Norm;
  private readonly pooler?: { kernel: tf.Variable; bias: tf.Variable };

  constructor(
    readonly config: BertBackboneConfig,
    parameters: HfParameters,
    private readonly options: BertBackboneOptions,
  ) {
    const { hiddenSize: h, initializerRange: std } = config;
    // The blocks first: they allocate nothing until built, so a bad config fails before any variable exists.
    const blocks = Array.from({ length: config.numLayers }, () => {
      try {
        return new TransformerEncoderBlock({
          numHeads: config.numHeads, intermediateDim: config.intermediateSize, ...blockDropout(config),
          activation: config.blockActivation as FeedForwardActivation, layerNormEpsilon: config.layerNormEps, normalizeFirst: false,
          kernelInitializer: 'zeros',
        });
      } catch (error) {
        throw new Error(`config.json hidden_act: ${JSON.stringify(config.hiddenAct)} is not supported by heed's encoder block (${(error as Error).message})`, { cause: error });
      }
    });
    const name = (suffix: string) => (options.prefix ? `${options.prefix}.${suffix}` : suffix);
    const create = (suffix: string, shape: number[], hfShape: number[], transform: 'copy' | 'linear', init: 'normal' | 'zeros' | 'ones', trainable = true) =>
      parameters.create(name(suffix), shape, hfShape, transform, init, std, trainable);
    this.wordEmbeddings = create('embeddings.word_embeddings.weight', [config.vocabSize, h], [config.vocabSize, h], 'copy', 'normal');
    if (config.positions === 'sinusoidal') {
      const initial = tf.tensor2d(sinusoidalPositionTable(config.maxPositionEmbeddings, h), [config.maxPositionEmbeddings, h]);
      const table = tf.variable(initial, false);
      initial.dispose();
      this.positionEmbeddings = parameters.add(name('embeddings.position_embeddings.weight'), table, [config.maxPositionEmbeddings, h], 'copy', false);
    } else {
      this.positionEmbeddings = create('embeddings.position_embeddings.weight', [config.maxPositionEmbeddings, h], [config.maxPositionEmbeddings, h], 'copy', 'normal');
    }
    if (config.typeVocabSize > 0) {
      this.tokenTypeEmbeddings = create('embeddings.token_type_embeddings.weight', [config.typeVocabSize, h], [config.typeVocabSize, h], 'copy', 'normal');
    }
    this.embeddingNorm = parameters.layerNorm(name('embeddings.LayerNorm'), h);

    for (const [i, block] of blocks.entries()) {
      block.build([null, null, h]);
      this.registerBlock(block, i, parameters, name);
      this.blocks.push(block);
    }
    if (options.pooler) {
      this.pooler = parameters.linear(name('pooler.dense'), h, h, std);
    }
  }

  /** Registers a block's variables under HF's names, re-initialized as HF does (normal(0, initializer_range), zero biases). */
  private registerBlock(block: TransformerEncoderBlock, index: number, parameters: HfParameters, name: (suffix: string) => string): void {
    const { hiddenSize: h, intermediateSize: inner, initializerRange: std } = this.config;
    const variables = new Map(block.weights.map((weight) => [weight.originalName.split('/').slice(-2).join('/'), weight.read() as tf.Variable]));
    const bert = this.config.naming === 'bert';
    const layer = bert ? `encoder.layer.${index}` : `transformer.layer.${index}`;
    const projections = bert
      ? { query: 'attention.self.query', key: 'attention.self.key', value: 'attention.self.value', attention_output: 'attention.output.dense' }
      : { query: 'attention.q_lin', key: 'attention.k_lin', value: 'attention.v_lin', attention_output: 'attention.out_lin' };
    const register = (key: string, hfName: string, hfShape: number[], transform: 'copy' | 'linear', init: 'normal' | 'zeros' | 'ones') => {
      const variable = variables.get(key);
      if (!variable) throw new Error(`BertBackbone: the encoder block has no weight ${key}; it has ${[...variables.keys()].join(', ')}`);
      parameters.add(name(`${layer}.${hfName}`), variable, hfShape, transform);
      parameters.initialValues(variable, init, std);
    };
    for (const [key, hfName] of Object.entries(projections)) {
      register(`${key}/kernel`, `${hfName}.weight`, [h, h], 'linear', 'normal');
      register(`${key}/bias`, `${hfName}.bias`, [h], 'copy', 'zeros');
    }
    const attentionNorm = bert ? 'attention.output.LayerNorm' : 'sa_layer_norm';
    register('self_attention_layer_norm/gamma', `${attentionNorm}.weight`, [h], 'copy', 'ones');
    register('self_attention_layer_norm/beta', `${attentionNorm}.bias`, [h], 'copy', 'zeros');
    const [intermediate, output, outputNorm] = bert ? ['intermediate.dense', 'output.dense', 'output.LayerNorm'] : ['ffn.lin1', 'ffn.lin2', 'output_layer_norm'];
    register('feedforward_intermediate_dense/kernel', `${intermediate}.weight`, [inner, h], 'linear', 'normal');
    register('feedforward_intermediate_dense/bias', `${intermediate}.bias`, [inner], 'copy', 'zeros');
    register('feedforward_output_dense/kernel', `${output}.weight`, [h, inner], 'linear', 'normal');
    register('feedforward_output_dense/bias', `${output}.bias`, [h], 'copy', 'zeros');
    register('feedforward_layer_norm/gamma', `${outputNorm}.weight`, [h], 'copy', 'ones');
    register('feedforward_layer_norm/beta', `${outputNorm}.bias`, [h], 'copy', 'zeros');
  }

  /**
   * Checks the inputs (shapes; ids in `[0, vocab_size)`, token types in `[0, type_vocab_size)`,
   * each error naming the argument, the position and the value) and cuts inputs longer than the
   * position table allows, with a warning naming both lengths.
   */
  truncate(inputs: HfTextInputs): HfTextInputs {
    const ids = inputs.input_ids;
    if (!(ids instanceof tf.Tensor) || ids.rank !== 2) {
      throw new Error(`forward: input_ids must be a (batch, tokens) tf.Tensor2D; got ${ids instanceof tf.Tensor ? `shape [${String(ids.shape)}]` : typeof ids}`);
    }
    for (const key of ['attention_mask', 'token_type_ids'] as const) {
      const given = inputs[key];
      if (given !== undefined && (!(given instanceof tf.Tensor) || given.shape.join() !== ids.shape.join())) {
        throw new Error(`forward: ${key} must have the shape of input_ids [${ids.shape.join(', ')}]; got ${given instanceof tf.Tensor ? `[${given.shape.join(', ')}]` : typeof given}`);
      }
    }
    const { maxTokens, maxPositionEmbeddings, vocabSize, typeVocabSize } = this.config;
    checkTokenIds('input_ids', ids, vocabSize, 'vocab_size');
    if (typeVocabSize > 0 && inputs.token_type_ids) checkTokenIds('token_type_ids', inputs.token_type_ids, typeVocabSize, 'type_vocab_size');
    const time = ids.shape[1];
    if (time <= maxTokens) return inputs;
    const limit = maxTokens === maxPositionEmbeddings ? `max_position_embeddings ${maxPositionEmbeddings}` : `${maxTokens} (max_position_embeddings ${maxPositionEmbeddings} less pad_token_id + 1)`;
    this.options.onWarning(`input of ${time} tokens is longer than ${limit}: truncated to its first ${maxTokens} tokens`);
    const cut = (t: tf.Tensor2D | undefined) => (t === undefined ? undefined : (tf.slice(t, [0, 0], [-1, maxTokens]) as tf.Tensor2D));
    return { input_ids: cut(ids)!, attention_mask: cut(inputs.attention_mask), token_type_ids: cut(inputs.token_type_ids) };
  }

  /**
   * Embeds and encodes `inputs` (already {@link BertBackbone.truncate}d). With `outputAttentions`
   * each block returns its softmax weights (and the fused kernel is not used for that call).
   */
  call(inputs: HfTextInputs, options: HfForwardOptions = {}): BertBackboneOutput {
    const training = Boolean(options.training);
    const { hiddenDropout, layerNormEps, padTokenId, positions } = this.config;
    return tf.tidy(() => {
      const ids = (inputs.input_ids.dtype === 'int32' ? inputs.input_ids : inputs.input_ids.toInt()) as tf.Tensor2D; // (batch, time)
      const [batch, time] = ids.shape;
      let embedded = embeddingLookup(this.wordEmbeddings, ids, padTokenId); // (batch, time, hidden)
      if (positions === 'after-padding') {
        // RoBERTa: positions count real tokens from pad + 1; padding keeps position pad.
        const notPad = tf.notEqual(ids, padTokenId ?? 0).toFloat(); // (batch, time)
        const positionIds = tf.add(tf.mul(tf.cumsum(notPad, 1), notPad), padTokenId ?? 0).toInt(); // (batch, time)
        embedded = tf.add(embedded, embeddingLookup(this.positionEmbeddings, positionIds, padTokenId));
      } else {
        embedded = tf.add(embedded, embeddingLookup(this.positionEmbeddings, tf.range(0, time, 1, 'int32').expandDims(0), null)); // + (1, time, hidden)
      }
      if (this.tokenTypeEmbeddings) {
        const types = inputs.token_type_ids ? (inputs.token_type_ids.dtype === 'int32' ? inputs.token_type_ids : inputs.token_type_ids.toInt()) : tf.zeros([batch, time], 'int32');
        embedded = tf.add(embedded, embeddingLookup(this.tokenTypeEmbeddings, types, null)); // + (batch, time, hidden)
      }
      let x = layerNormalization(embedded, this.embeddingNorm.gamma, this.embeddingNorm.beta, layerNormEps) as tf.Tensor3D;
      if (training && hiddenDropout > 0) x = tf.dropout(x, hiddenDropout) as tf.Tensor3D;
      // (batch, 1, keys): every query may attend to the real tokens only.
      const attentionMask = inputs.attention_mask ? tf.notEqual(inputs.attention_mask, 0).expandDims(1) : undefined;
      const hiddenStates: tf.Tensor3D[] = [x];
      const attentions: tf.Tensor4D[] = [];
      for (const block of this.blocks) {
        const result = block.apply(x, { attentionMask, training, returnAttentionWeights: Boolean(options.outputAttentions) }) as tf.Tensor | tf.Tensor[];
        if (Array.isArray(result)) {
          x = result[0] as tf.Tensor3D; // (batch, time, hidden)
          attentions.push(result[1] as tf.Tensor4D); // (batch, heads, time, time)
        } else {
          x = result as tf.Tensor3D;
        }
        hiddenStates.push(x);
      }
      if (options.outputAttentions && attentions.length !== this.blocks.length) {
        throw new Error('forward: outputAttentions needs an encoder block that returns its attention weights (returnAttentionWeights)');
      }
      const pooled = this.pooler ? (tf.tanh(dense(firstToken(x), this.pooler.kernel, this.pooler.bias)) as tf.Tensor2D) : undefined; // (batch, hidden)
      return {
        last_hidden_state: x,
        ...(pooled ? { pooler_output: pooled } : {}),
        ...(options.outputHiddenStates ? { hidden_states: hiddenStates } : {}),
        ...(options.outputAttentions ? { attentions } : {}),
      };
    });
  }

  /**
   * {@link BertBackbone.truncate}, {@link BertBackbone.call}, then `head` on the output (its
   * result is `logits`), all in one tidy: only the returned tensors survive.
   */
  run(inputs: HfTextInputs, options: HfForwardOptions = {}, head?: (output: BertBackboneOutput) => tf.Tensor): HfModelOutput {
    const cut = this.truncate(inputs);
    try {
      return tf.tidy(() => {
        const output = this.call(cut, options);
        return (head ? { ...output, logits: head(output) } : output) as unknown as tf.TensorContainer;
      }) as unknown as HfModelOutput;
    } finally {
      disposeCopies(cut, inputs);
    }
  }
}
