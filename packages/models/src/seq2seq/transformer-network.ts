import * as tf from '@tensorflow/tfjs';
import { denseLastAxis, layerNormalization, sinusoidalPositionEncoding, TransformerDecoderBlock, TransformerEncoderBlock, type AttentionCache } from '@heed/attention';
import { embedTokens } from './embed-tokens';
import type { ResolvedSeq2SeqConfig } from './seq2seq-config';
import type { DecodeStepResult, EncodedSource, Seq2SeqNetwork } from './seq2seq-network';
import type { WeightRegistry } from './weight-registry';

interface Norm {
  gamma: tf.Variable;
  beta: tf.Variable;
}

/**
 * The names the hand-built decoder layers of earlier versions gave a {@link TransformerDecoderBlock}
 * weight (by its role, `self_attention/query/kernel`), under `decoder/layer_<l>/`.
 */
function legacyDecoderName(role: string): string {
  const attention = /^(self|cross)_attention\/(query|key|value|attention_output)\/(kernel|bias)$/.exec(role);
  if (attention) {
    // heed's MultiHeadAttention created query, key, value, output kernels, then the four biases.
    const index = ['query', 'key', 'value', 'attention_output'].indexOf(attention[2]!) + (attention[3] === 'bias' ? 4 : 0);
    return `${attention[1]}_attention/${index}:${attention[3]}`;
  }
  const renamed: Record<string, string> = {
    'self_attention_layer_norm/gamma': 'self_norm/gamma',
    'self_attention_layer_norm/beta': 'self_norm/beta',
    'cross_attention_layer_norm/gamma': 'cross_norm/gamma',
    'cross_attention_layer_norm/beta': 'cross_norm/beta',
    'feedforward_layer_norm/gamma': 'feed_forward_norm/gamma',
    'feedforward_layer_norm/beta': 'feed_forward_norm/beta',
    'feedforward_intermediate_dense/kernel': 'ffn_hidden_kernel',
    'feedforward_intermediate_dense/bias': 'ffn_hidden_bias',
    'feedforward_output_dense/kernel': 'ffn_output_kernel',
    'feedforward_output_dense/bias': 'ffn_output_bias',
  };
  const name = renamed[role];
  if (!name) throw new Error(`TransformerNetwork: no legacy name for decoder weight ${role}`);
  return name;
}

/**
 * The Transformer encoder-decoder of {@link Seq2Seq} (Vaswani et al. 2017, pre-norm): scaled
 * token embeddings plus sinusoidal positions; `numLayers` heed {@link TransformerEncoderBlock}s
 * and a final layer norm; `numLayers` {@link TransformerDecoderBlock}s (causal self-attention,
 * cross-attention whose per-head weights are the alignments, ReLU feed-forward) and a final layer
 * norm; the output projection. Generation decodes incrementally: each block's cross-attention
 * keys and values are projected once per source and its self-attention keys and values are
 * cached, so a step costs one position; the reference step re-runs the decoder over the prefix.
 * @internal
 */
export class TransformerNetwork implements Seq2SeqNetwork {
  readonly attentionHeads: number;
  private readonly sourceEmbedding: tf.Variable;
  private readonly targetEmbedding: tf.Variable;
  private readonly positions: tf.Tensor2D;
  private readonly encoderBlocks: TransformerEncoderBlock[] = [];
  private readonly encoderNorm: Norm;
  private readonly decoderBlocks: TransformerDecoderBlock[] = [];
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
      weights.buildLayer(`encoder/layer_${layer}`, block, () => block.apply(tf.zeros([1, 1, d]))); // builds the block's weights, seeded
      this.encoderBlocks.push(block);
    }
    this.encoderNorm = norm('encoder/final_norm');
    for (let layer = 0; layer < numLayers; layer++) {
      const block = new TransformerDecoderBlock({ numHeads, intermediateDim, dropout, normalizeFirst: true, name: `seq2seq_decoder_${layer}` });
      weights.buildLayer(`decoder/layer_${layer}`, block, () => block.apply([tf.zeros([1, 1, d]), tf.zeros([1, 1, d])])); // builds self- and cross-attention weights, seeded
      this.decoderBlocks.push(block);
    }
    this.decoderNorm = norm('decoder/final_norm');
    this.output = weights.add('decoder/output_kernel', [d, config.targetVocabSize], 'glorot');
    this.outputBias = weights.add('decoder/output_bias', [config.targetVocabSize], 'zeros');
  }

  private drop(x: tf.Tensor, training: boolean): tf.Tensor {
    return training && this.config.dropout > 0 ? tf.dropout(x, this.config.dropout) : x;
  }

  /** Scaled embeddings plus the sinusoidal positions `start … start + time − 1`. */
  private embed(table: tf.Variable, ids: tf.Tensor2D, training: boolean, start = 0): tf.Tensor3D {
    const [, time] = ids.shape;
    const d = this.config.embeddingDim;
    if (start + time > this.positions.shape[0]) throw new RangeError(`Seq2Seq (transformer): sequence shape [${ids.shape}] from position ${start} is longer than the ${this.positions.shape[0]} positions`);
    const scaled = tf.mul(embedTokens(table, ids), Math.sqrt(d)); // (batch, time, d)
    return this.drop(tf.add(scaled, this.positions.slice([start, 0], [time, d])), training) as tf.Tensor3D; // (batch, time, d) + (time, d)
  }

  private static norm(x: tf.Tensor, weights: Norm): tf.Tensor {
    return layerNormalization(x, weights.gamma, weights.beta);
  }

  private logits(x: tf.Tensor): tf.Tensor3D {
    return denseLastAxis(TransformerNetwork.norm(x, this.decoderNorm), this.output as tf.Tensor2D, this.outputBias as tf.Tensor1D) as tf.Tensor3D; // (batch, T, V)
  }

  encode(source: tf.Tensor2D, training: boolean): EncodedSource {
    const mask = tf.notEqual(source, this.config.padId).expandDims(1) as tf.Tensor3D; // (batch, 1, S)
    let x: tf.Tensor = this.embed(this.sourceEmbedding, source, training);
    for (const block of this.encoderBlocks) x = block.apply(x, { attentionMask: mask, training }) as tf.Tensor; // (batch, S, d)
    return { memory: TransformerNetwork.norm(x, this.encoderNorm) as tf.Tensor3D, mask, initialState: [] };
  }

  decode(encoded: EncodedSource, decoderInput: tf.Tensor2D, training: boolean, returnAttention: boolean): { logits: tf.Tensor3D; attention?: tf.Tensor4D } {
    let x: tf.Tensor = this.embed(this.targetEmbedding, decoderInput, training);
    const maps: tf.Tensor[] = [];
    for (const block of this.decoderBlocks) {
      const options = { encoderAttentionMask: encoded.mask, training };
      if (!returnAttention) {
        x = block.apply([x, encoded.memory], options) as tf.Tensor; // fused attention where the backend has it
        continue;
      }
      const [y, , cross] = block.apply([x, encoded.memory], { ...options, returnAttentionWeights: true }) as tf.Tensor[]; // cross (batch, heads, T, S)
      x = y!;
      maps.push(cross!);
    }
    return { logits: this.logits(x), ...(returnAttention ? { attention: tf.concat(maps, 1) as tf.Tensor4D } : {}) }; // attention (batch, layers·heads, T, S)
  }

  dispose(): void {
    this.positions.dispose();
  }

  startState(): tf.Tensor[] {
    return [];
  }

  precompute(encoded: EncodedSource): tf.Tensor[] {
    return this.decoderBlocks.flatMap((block) => {
      const { key, value } = block.computeCrossAttentionCache(encoded.memory); // (batch, heads, S, headDim) each
      return [key, value];
    });
  }

  step(encoded: EncodedSource, state: tf.Tensor[], tokens: tf.Tensor1D, precomputed?: tf.Tensor[]): DecodeStepResult {
    return precomputed ? this.cachedStep(encoded, state, tokens, precomputed) : this.referenceStep(encoded, state, tokens);
  }

  /** State: per layer the self-attention keys and values so far, `[key₀, value₀, key₁, value₁, …]` (empty before the first token). */
  private cachedStep(encoded: EncodedSource, state: tf.Tensor[], tokens: tf.Tensor1D, precomputed: tf.Tensor[]): DecodeStepResult {
    const position = state.length === 0 ? 0 : state[0]!.shape[2]!; // tokens decoded so far
    let x: tf.Tensor = this.embed(this.targetEmbedding, tokens.expandDims(1) as tf.Tensor2D, false, position); // (batch, 1, d)
    const next: tf.Tensor[] = [];
    const maps: tf.Tensor[] = [];
    this.decoderBlocks.forEach((block, layer) => {
      const past: AttentionCache | undefined = state.length ? { key: state[2 * layer] as tf.Tensor4D, value: state[2 * layer + 1] as tf.Tensor4D } : undefined;
      const cross = { key: precomputed[2 * layer] as tf.Tensor4D, value: precomputed[2 * layer + 1] as tf.Tensor4D };
      const out = block.callWithCache(x, { selfAttentionCache: past, crossAttentionCache: cross, encoderAttentionMask: encoded.mask, returnAttentionWeights: true });
      x = out.output; // (batch, 1, d)
      next.push(out.selfAttentionCache.key, out.selfAttentionCache.value); // (batch, heads, t + 1, headDim)
      maps.push(out.crossAttentionWeights!.squeeze([2])); // (batch, heads, S)
      if (out.selfAttentionWeights) out.selfAttentionWeights.dispose();
    });
    const logits = this.logits(x); // (batch, 1, V)
    return { logits: logits.squeeze([1]) as tf.Tensor2D, attention: tf.concat(maps, 1) as tf.Tensor3D, state: next }; // (batch, V), (batch, layers·heads, S)
  }

  /** The reference step: state `[prefix (batch, t)]`, the decoder re-run over the whole prefix. */
  private referenceStep(encoded: EncodedSource, state: tf.Tensor[], tokens: tf.Tensor1D): DecodeStepResult {
    const column = tokens.expandDims(1) as tf.Tensor2D; // (batch, 1)
    const prefix = (state.length === 0 ? column : tf.concat([state[0]!, column], 1)) as tf.Tensor2D; // (batch, t)
    const { logits, attention } = this.decode(encoded, prefix, false, true) as { logits: tf.Tensor3D; attention: tf.Tensor4D };
    const [batch, time, vocab] = logits.shape;
    const heads = attention.shape[1];
    const source = attention.shape[3];
    return {
      logits: logits.slice([0, time - 1, 0], [batch, 1, vocab]).reshape([batch, vocab]) as tf.Tensor2D, // (batch, V)
      attention: attention.slice([0, 0, time - 1, 0], [batch, heads, 1, source]).reshape([batch, heads, source]) as tf.Tensor3D, // (batch, A, S)
      state: [prefix],
    };
  }

  legacyWeightNames(): Map<string, string> {
    const names = new Map<string, string>();
    this.decoderBlocks.forEach((block, layer) => {
      for (const weight of block.weights) {
        const role = weight.originalName.slice(block.name.length + 1); // e.g. self_attention/query/kernel
        names.set(`decoder/layer_${layer}/${legacyDecoderName(role)}`, `decoder/layer_${layer}/${role}`);
      }
    });
    return names;
  }
}
