import * as tf from '@tensorflow/tfjs';
import { MultiHeadAttention, TransformerEncoderBlock, layerNormalization, sinusoidalPositionEncoding } from '@heed/attention';
import { embedTokens } from './embed-tokens';
import type { ResolvedSeq2SeqConfig } from './seq2seq-config';
import type { DecodeStepResult, EncodedSource, Seq2SeqNetwork } from './seq2seq-network';
import type { WeightRegistry } from './weight-registry';

interface Norm {
  gamma: tf.Variable;
  beta: tf.Variable;
}

interface DecoderLayer {
  selfAttention: MultiHeadAttention;
  crossAttention: MultiHeadAttention;
  selfNorm: Norm;
  crossNorm: Norm;
  feedForwardNorm: Norm;
  hiddenKernel: tf.Variable;
  hiddenBias: tf.Variable;
  outputKernel: tf.Variable;
  outputBias: tf.Variable;
}

function dense(x: tf.Tensor, kernel: tf.Tensor, bias?: tf.Tensor): tf.Tensor {
  const shape = x.shape;
  const flat = tf.matMul(x.reshape([-1, shape[shape.length - 1]!]), kernel as tf.Tensor2D); // (…, in) → (rows, out)
  return (bias ? tf.add(flat, bias) : flat).reshape([...shape.slice(0, -1), kernel.shape[1]!]); // (…, out)
}

/**
 * The Transformer encoder-decoder of {@link Seq2Seq} (Vaswani et al. 2017, pre-norm): scaled
 * token embeddings plus sinusoidal positions; `numLayers` heed {@link TransformerEncoderBlock}s
 * and a final layer norm; decoder layers built from heed's {@link MultiHeadAttention} (causal
 * self-attention, cross-attention whose per-head weights are the alignments) and a ReLU
 * feed-forward network; a final layer norm and the output projection. Generation re-runs the
 * decoder over the prefix each step (sequences here are short).
 * @internal
 */
export class TransformerNetwork implements Seq2SeqNetwork {
  readonly attentionHeads: number;
  private readonly sourceEmbedding: tf.Variable;
  private readonly targetEmbedding: tf.Variable;
  private readonly positions: tf.Tensor2D;
  private readonly encoderBlocks: TransformerEncoderBlock[] = [];
  private readonly encoderNorm: Norm;
  private readonly decoderLayers: DecoderLayer[] = [];
  private readonly decoderNorm: Norm;
  private readonly output: tf.Variable;
  private readonly outputBias: tf.Variable;

  constructor(
    private readonly config: ResolvedSeq2SeqConfig,
    weights: WeightRegistry,
  ) {
    const { embeddingDim: d, numLayers, numHeads, intermediateDim, dropout } = config;
    this.attentionHeads = numLayers * numHeads;
    const norm = (name: string): Norm => ({ gamma: weights.add(`${name}/gamma`, [d], 'ones'), beta: weights.add(`${name}/beta`, [d], 'zeros') });
    this.sourceEmbedding = weights.add('encoder/embedding', [config.sourceVocabSize, d], 'glorot');
    this.targetEmbedding = weights.add('decoder/embedding', [config.targetVocabSize, d], 'glorot');
    this.positions = tf.keep(sinusoidalPositionEncoding(Math.max(config.maxSourceLength, config.maxTargetLength + 1), d)); // (P, d)
    for (let layer = 0; layer < numLayers; layer++) {
      const block = new TransformerEncoderBlock({ numHeads, intermediateDim, dropout, normalizeFirst: true, name: `seq2seq_encoder_${layer}` });
      tf.tidy(() => {
        block.apply(tf.zeros([1, 1, d])); // builds the block's weights
      });
      weights.addLayer(`encoder/layer_${layer}`, block);
      this.encoderBlocks.push(block);
    }
    this.encoderNorm = norm('encoder/final_norm');
    for (let layer = 0; layer < numLayers; layer++) {
      const prefix = `decoder/layer_${layer}`;
      const selfAttention = new MultiHeadAttention({ numHeads, keyDim: d / numHeads, dropout, name: `seq2seq_decoder_self_${layer}` });
      const crossAttention = new MultiHeadAttention({ numHeads, keyDim: d / numHeads, dropout, name: `seq2seq_decoder_cross_${layer}` });
      tf.tidy(() => {
        selfAttention.apply([tf.zeros([1, 1, d]), tf.zeros([1, 1, d])]); // builds the weights
        crossAttention.apply([tf.zeros([1, 1, d]), tf.zeros([1, 1, d])]);
      });
      weights.addLayer(`${prefix}/self_attention`, selfAttention);
      weights.addLayer(`${prefix}/cross_attention`, crossAttention);
      this.decoderLayers.push({
        selfAttention,
        crossAttention,
        selfNorm: norm(`${prefix}/self_norm`),
        crossNorm: norm(`${prefix}/cross_norm`),
        feedForwardNorm: norm(`${prefix}/feed_forward_norm`),
        hiddenKernel: weights.add(`${prefix}/ffn_hidden_kernel`, [d, intermediateDim], 'glorot'),
        hiddenBias: weights.add(`${prefix}/ffn_hidden_bias`, [intermediateDim], 'zeros'),
        outputKernel: weights.add(`${prefix}/ffn_output_kernel`, [intermediateDim, d], 'glorot'),
        outputBias: weights.add(`${prefix}/ffn_output_bias`, [d], 'zeros'),
      });
    }
    this.decoderNorm = norm('decoder/final_norm');
    this.output = weights.add('decoder/output_kernel', [d, config.targetVocabSize], 'glorot');
    this.outputBias = weights.add('decoder/output_bias', [config.targetVocabSize], 'zeros');
  }

  private drop(x: tf.Tensor, training: boolean): tf.Tensor {
    return training && this.config.dropout > 0 ? tf.dropout(x, this.config.dropout) : x;
  }

  private embed(table: tf.Variable, ids: tf.Tensor2D, training: boolean): tf.Tensor3D {
    const [, time] = ids.shape;
    const d = this.config.embeddingDim;
    if (time > this.positions.shape[0]) throw new RangeError(`Seq2Seq (transformer): sequence shape [${ids.shape}] is longer than the ${this.positions.shape[0]} positions`);
    const scaled = tf.mul(embedTokens(table, ids), Math.sqrt(d)); // (batch, time, d)
    return this.drop(tf.add(scaled, this.positions.slice([0, 0], [time, d])), training) as tf.Tensor3D; // (batch, time, d) + (time, d)
  }

  private static norm(x: tf.Tensor, weights: Norm): tf.Tensor {
    return layerNormalization(x, weights.gamma, weights.beta);
  }

  encode(source: tf.Tensor2D, training: boolean): EncodedSource {
    const mask = tf.notEqual(source, this.config.padId).expandDims(1) as tf.Tensor3D; // (batch, 1, S)
    let x: tf.Tensor = this.embed(this.sourceEmbedding, source, training);
    for (const block of this.encoderBlocks) x = block.apply(x, { attentionMask: mask, training }) as tf.Tensor; // (batch, S, d)
    return { memory: TransformerNetwork.norm(x, this.encoderNorm) as tf.Tensor3D, mask, initialState: [] };
  }

  decode(encoded: EncodedSource, decoderInput: tf.Tensor2D, training: boolean): { logits: tf.Tensor3D; attention: tf.Tensor4D } {
    let x: tf.Tensor = this.embed(this.targetEmbedding, decoderInput, training);
    const maps: tf.Tensor[] = [];
    for (const layer of this.decoderLayers) {
      const normed = TransformerNetwork.norm(x, layer.selfNorm);
      x = tf.add(x, this.drop(layer.selfAttention.apply([normed, normed], { useCausalMask: true, training }) as tf.Tensor, training)); // x + SelfMHA(LN₁(x))
      const [cross, scores] = layer.crossAttention.apply([TransformerNetwork.norm(x, layer.crossNorm), encoded.memory], {
        attentionMask: encoded.mask,
        returnAttentionScores: true,
        training,
      }) as [tf.Tensor, tf.Tensor]; // cross (batch, T, d), scores (batch, heads, T, S)
      x = tf.add(x, this.drop(cross, training)); // x + CrossMHA(LN₂(x), memory)
      const hidden = this.drop(tf.relu(dense(TransformerNetwork.norm(x, layer.feedForwardNorm), layer.hiddenKernel, layer.hiddenBias)), training); // (batch, T, inter)
      x = tf.add(x, this.drop(dense(hidden, layer.outputKernel, layer.outputBias), training)); // x + FFN(LN₃(x))
      maps.push(scores);
    }
    const logits = dense(TransformerNetwork.norm(x, this.decoderNorm), this.output, this.outputBias) as tf.Tensor3D; // (batch, T, V)
    return { logits, attention: tf.concat(maps, 1) as tf.Tensor4D }; // (batch, layers·heads, T, S)
  }

  dispose(): void {
    this.positions.dispose();
  }

  startState(): tf.Tensor[] {
    return [];
  }

  step(encoded: EncodedSource, state: tf.Tensor[], tokens: tf.Tensor1D): DecodeStepResult {
    const column = tokens.expandDims(1) as tf.Tensor2D; // (batch, 1)
    const prefix = (state.length === 0 ? column : tf.concat([state[0]!, column], 1)) as tf.Tensor2D; // (batch, t)
    const { logits, attention } = this.decode(encoded, prefix, false);
    const [batch, time, vocab] = logits.shape;
    const heads = attention.shape[1];
    const source = attention.shape[3];
    return {
      logits: logits.slice([0, time - 1, 0], [batch, 1, vocab]).reshape([batch, vocab]) as tf.Tensor2D, // (batch, V)
      attention: attention.slice([0, 0, time - 1, 0], [batch, heads, 1, source]).reshape([batch, heads, source]) as tf.Tensor3D, // (batch, A, S)
      state: [prefix],
    };
  }
}
