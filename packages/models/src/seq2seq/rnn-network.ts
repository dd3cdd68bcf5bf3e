import * as tf from '@tensorflow/tfjs';
import { BahdanauAttention, denseLastAxis, LocalAttention, LuongAttention, type ScoredAttention } from '@heed/attention';
import type { ResolvedSeq2SeqConfig } from './seq2seq-config';
import type { DecodeStepResult, EncodedSource, Seq2SeqNetwork } from './seq2seq-network';
import { embedTokens } from './embed-tokens';
import { RecurrentCell } from './recurrent-cell';
import type { WeightRegistry } from './weight-registry';

function makeAttention(config: ResolvedSeq2SeqConfig): ScoredAttention {
  const name = 'seq2seq_attention';
  switch (config.attention) {
    case 'bahdanau':
      return new BahdanauAttention({ units: config.attentionUnits, name });
    case 'luong-dot':
      return new LuongAttention({ scoreMode: 'dot', name });
    case 'luong-general':
      return new LuongAttention({ scoreMode: 'general', name });
    case 'local-p':
      return new LocalAttention({ mode: 'local-p', window: config.localWindow, scoreMode: 'general', name });
    default:
      throw new Error(`RnnNetwork: attention ${config.attention} is not an RNN attention`);
  }
}

/**
 * The RNN encoder-decoder of {@link Seq2Seq}: a bidirectional LSTM (or GRU) encoder of
 * `encoderLayers` stacked layers (dropout between them); an LSTM
 * decoder whose initial state is a learned bridge from the encoder's final states; attention
 * from heed (`bahdanau` additive, Luong `dot`/`general`, Luong `local-p`) queried by the decoder
 * state hₜ over the encoder outputs; the attentional state h̃ₜ = tanh(W_c[cₜ; hₜ]) (Luong et al.
 * 2015, eq. 5) feeds the output softmax. Without input feeding, so teacher-forced training runs the
 * attention for all target positions in one call.
 * @internal
 */
export class RnnNetwork implements Seq2SeqNetwork {
  readonly attentionHeads = 1;
  private readonly sourceEmbedding: tf.Variable;
  private readonly targetEmbedding: tf.Variable;
  /** Encoder layers, first to last: a forward and a backward cell each. */
  private readonly encoderLayers: { forward: RecurrentCell; backward: RecurrentCell }[] = [];
  private readonly decoder: RecurrentCell;
  private readonly bridgeH: tf.Variable;
  private readonly bridgeHBias: tf.Variable;
  private readonly bridgeC: tf.Variable;
  private readonly bridgeCBias: tf.Variable;
  private readonly attention: ScoredAttention;
  private readonly combine: tf.Variable;
  private readonly output: tf.Variable;
  private readonly outputBias: tf.Variable;

  constructor(
    private readonly config: ResolvedSeq2SeqConfig,
    weights: WeightRegistry,
  ) {
    const { embeddingDim: e, encoderUnits: u, decoderUnits: d, encoderCell } = config;
    this.sourceEmbedding = weights.add('encoder/embedding', [config.sourceVocabSize, e], 'embedding');
    for (let layer = 0; layer < config.encoderLayers; layer++) {
      const suffix = layer === 0 ? '' : `_${layer + 1}`; // the first layer keeps the names of 1-layer models
      const input = layer === 0 ? e : 2 * u; // embeddings, then the previous layer's [forward; backward]
      this.encoderLayers.push({
        forward: new RecurrentCell(weights, `encoder/forward${suffix}`, encoderCell, input, u),
        backward: new RecurrentCell(weights, `encoder/backward${suffix}`, encoderCell, input, u),
      });
    }
    const finalWidth = 2 * u; // [forward; backward] final states
    this.bridgeH = weights.add('bridge/h_kernel', [finalWidth, d], 'glorot');
    this.bridgeHBias = weights.add('bridge/h_bias', [d], 'zeros');
    this.bridgeC = weights.add('bridge/c_kernel', [finalWidth, d], 'glorot');
    this.bridgeCBias = weights.add('bridge/c_bias', [d], 'zeros');
    this.targetEmbedding = weights.add('decoder/embedding', [config.targetVocabSize, e], 'embedding');
    this.decoder = new RecurrentCell(weights, 'decoder/lstm', 'lstm', e, d);
    this.attention = makeAttention(config);
    weights.buildLayer('decoder/attention', this.attention, () => this.attention.apply([tf.zeros([1, 1, d]), tf.zeros([1, 1, 2 * u])])); // builds the attention weights, seeded
    this.combine = weights.add('decoder/combine_kernel', [2 * u + d, d], 'glorot');
    this.output = weights.add('decoder/output_kernel', [d, config.targetVocabSize], 'glorot');
    this.outputBias = weights.add('decoder/output_bias', [config.targetVocabSize], 'zeros');
  }

  private drop(x: tf.Tensor, training: boolean): tf.Tensor {
    return training && this.config.dropout > 0 ? tf.dropout(x, this.config.dropout) : x;
  }

  /** One bidirectional encoder layer over `input (batch, S, in)`: both directions' states and their outputs `memory (batch, S, 2u)`. */
  private encodeLayer(layer: { forward: RecurrentCell; backward: RecurrentCell }, input: tf.Tensor3D, mask: tf.Tensor2D) {
    const forward = layer.forward.run(layer.forward.projectInputs(input), mask, false);
    const backward = layer.backward.run(layer.backward.projectInputs(input), mask, true);
    return { forward, backward, memory: tf.concat([forward.outputs, backward.outputs], 2) as tf.Tensor3D };
  }

  encode(source: tf.Tensor2D, training: boolean): EncodedSource {
    const maskBool = tf.notEqual(source, this.config.padId); // (batch, S)
    const mask = tf.cast(maskBool, 'float32') as tf.Tensor2D; // (batch, S)
    const [first, ...rest] = this.encoderLayers; // resolveSeq2SeqConfig guarantees at least one
    const embedded = this.drop(embedTokens(this.sourceEmbedding, source), training) as tf.Tensor3D; // (batch, S, e)
    let layer = this.encodeLayer(first!, embedded, mask);
    for (const next of rest) layer = this.encodeLayer(next, this.drop(layer.memory, training) as tf.Tensor3D, mask); // input (batch, S, 2u)
    const { memory, forward, backward } = layer;
    const finalH = tf.concat([forward.state[0]!, backward.state[0]!], 1); // (batch, 2u)
    const finalC = this.config.encoderCell === 'lstm' ? tf.concat([forward.state[1]!, backward.state[1]!], 1) : finalH; // (batch, 2u)
    const h0 = tf.tanh(denseLastAxis(finalH, this.bridgeH as tf.Tensor2D, this.bridgeHBias as tf.Tensor1D)); // (batch, d)
    const c0 = denseLastAxis(finalC, this.bridgeC as tf.Tensor2D, this.bridgeCBias as tf.Tensor1D); // (batch, d)
    return { memory, mask: maskBool.expandDims(1) as tf.Tensor3D, initialState: [h0, c0] }; // mask (batch, 1, S)
  }

  /** Attention, combination and output for decoder states `h (batch, T, d)`. */
  private attend(encoded: EncodedSource, h: tf.Tensor3D, training: boolean): { logits: tf.Tensor3D; weights: tf.Tensor3D } {
    const [context, weights] = this.attention.apply([h, encoded.memory], {
      attentionMask: encoded.mask,
      returnAttentionScores: true,
    }) as [tf.Tensor3D, tf.Tensor3D]; // context (batch, T, 2u), weights (batch, T, S)
    const combined = this.drop(tf.tanh(denseLastAxis(tf.concat([context, h], 2), this.combine as tf.Tensor2D)), training); // (batch, T, d)
    const logits = denseLastAxis(combined, this.output as tf.Tensor2D, this.outputBias as tf.Tensor1D) as tf.Tensor3D; // (batch, T, V)
    return { logits, weights };
  }

  decode(encoded: EncodedSource, decoderInput: tf.Tensor2D, training: boolean): { logits: tf.Tensor3D; attention: tf.Tensor4D } {
    // The alignment weights come with the context at no extra cost, so they are always returned.
    const [batch, time] = decoderInput.shape;
    const embedded = this.drop(embedTokens(this.targetEmbedding, decoderInput), training) as tf.Tensor3D; // (batch, T, e)
    const ones = tf.ones([batch, time]) as tf.Tensor2D;
    const { outputs } = this.decoder.run(this.decoder.projectInputs(embedded), ones, false, encoded.initialState as tf.Tensor2D[]); // (batch, T, d)
    const { logits, weights } = this.attend(encoded, outputs, training);
    return { logits, attention: weights.expandDims(1) as tf.Tensor4D }; // (batch, 1, T, S)
  }

  dispose(): void {
    // Every tensor is a registered weight.
  }

  precompute(): tf.Tensor[] {
    return []; // the LSTM state is already incremental
  }

  legacyWeightNames(): Map<string, string> {
    return new Map();
  }

  startState(encoded: EncodedSource): tf.Tensor[] {
    return encoded.initialState.map((t) => t.clone());
  }

  step(encoded: EncodedSource, state: tf.Tensor[], tokens: tf.Tensor1D): DecodeStepResult {
    const embedded = embedTokens(this.targetEmbedding, tokens) as tf.Tensor2D; // (batch, e)
    const projected = tf.add(tf.matMul(embedded, this.decoder.kernel), this.decoder.bias) as tf.Tensor2D; // (batch, 4d)
    const next = this.decoder.step(projected, state as tf.Tensor2D[]);
    const { logits, weights } = this.attend(encoded, next[0]!.expandDims(1) as tf.Tensor3D, false); // query (batch, 1, d)
    return { logits: logits.squeeze([1]) as tf.Tensor2D, attention: weights, state: next }; // logits (batch, V), attention (batch, 1, S)
  }
}
