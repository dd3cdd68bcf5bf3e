import * as tf from '@tensorflow/tfjs';
import { assertMaskFits, toRank4Mask, type AttentionMask } from '../masks/attention-mask';
import { layerNormalization } from '../ops/layer-normalization';
import { attendHeads, multiHeadAttentionForward, projectHeads } from '../ops/multi-head-attention-forward';
import { GraphInputs, inputList, shapeList } from '../layers/graph-inputs';
import { isSymbolic, makeInitializer, type Kwargs, type Shape } from '../layers/layer-utils';
import {
  addAttentionWeights,
  addFeedForwardWeights,
  addLayerNormWeights,
  feedForward,
  readAttention,
  type AttentionVariables,
  type FeedForwardVariables,
} from './block-weights';
import { assertCacheFits, offsetCausalMask, type AttentionCache, type TransformerDecoderCacheOptions, type TransformerDecoderCacheResult } from './transformer-decoder-cache';
import { assertHeadsDivideWidth, transformerBlockConfig, type TransformerBlockArgs, type TransformerBlockConfig } from './transformer-block-args';

const WHERE = 'TransformerDecoderBlock';
const SLOTS = ['decoderSequence', 'encoderSequence', 'decoderAttentionMask', 'encoderAttentionMask'] as const;

/** Call options of {@link TransformerDecoderBlock}. */
export interface TransformerDecoderCallOptions {
  /** Self-attention mask over decoder positions (true = may attend), e.g. a target {@link paddingMask}. */
  decoderAttentionMask?: AttentionMask;
  /** Cross-attention mask over encoder positions, e.g. a source {@link paddingMask}. */
  encoderAttentionMask?: AttentionMask;
  /** Causal self-attention. Default true. */
  useCausalMask?: boolean;
  /**
   * Also return the attention weights (softmax before dropout): the call then gives `[output
   * (batch, T, width), selfAttentionWeights (batch, heads, T, T), crossAttentionWeights (batch,
   * heads, T, S)]`, the last only with an encoderSequence. Asking keeps the fused attention kernel
   * from running for this call; when nobody asks it runs as usual. Eager calls only. Default false.
   */
  returnAttentionWeights?: boolean;
  training?: boolean;
}

type Norm = { gamma: tf.LayerVariable; beta: tf.LayerVariable };

/**
 * One transformer decoder layer (Vaswani et al. 2017, §3.1), equal to PyTorch's
 * `nn.TransformerDecoderLayer(batch_first=True)`: causal self-attention, cross-attention to the
 * encoder output, feed-forward, each with a residual and a layer norm:
 *
 *   post-norm: x = LN₁(x + SelfMHA(x));  x = LN₂(x + CrossMHA(x, memory));  x = LN₃(x + FFN(x))
 *   pre-norm:  x = x + SelfMHA(LN₁(x));  x = x + CrossMHA(LN₂(x), memory);  x = x + FFN(LN₃(x))
 *
 * Call as `apply([decoderSequence, encoderSequence], options)` → `(batch, T, width)`; built
 * without an encoder sequence (`apply(decoderSequence)`) it is a decoder-only (GPT) block without
 * cross-attention. Weights as {@link TransformerEncoderBlock} plus `cross_attention/…` and
 * `cross_attention_layer_norm/…`.
 *
 * In a `tf.model` graph, `useCausalMask` given at the symbolic apply is remembered, and masks are
 * inputs: `apply([decoderSequence, encoderSequence, decoderAttentionMask, encoderAttentionMask])`
 * or SymbolicTensor options (`apply([target, encoded], {encoderAttentionMask: sourceMask})`;
 * decoder-only: `apply(target, {decoderAttentionMask: targetMask})`). A mask computed in the
 * graph arrives as float32 (tfjs makes every layer output float32) and is read as 0/1, nonzero =
 * may attend; eager float masks are refused (PyTorch's are additive).
 *
 * Incremental decoding (generation): {@link computeCrossAttentionCache} projects the encoder
 * sequence once, and {@link callWithCache} runs only the new positions against cached self-attention
 * keys and values; the full {@link apply} over the prefix is its reference.
 *
 * @example
 * ```ts
 * const block = new TransformerDecoderBlock({ numHeads: 4, intermediateDim: 256 });
 * const decoded = block.apply([targetEmbeddings, encoded], { encoderAttentionMask: paddingMask(sourceLengths) }) as tf.Tensor;
 * // in a graph: block.apply([target, encoded], { decoderAttentionMask: targetMask, encoderAttentionMask: sourceMask })
 * const [same, selfWeights, crossWeights] = block.apply([targetEmbeddings, encoded], { returnAttentionWeights: true }) as tf.Tensor[];
 * ```
 */
export class TransformerDecoderBlock extends tf.layers.Layer {
  static className = 'TransformerDecoderBlock';
  readonly config: TransformerBlockConfig;
  private graphCausal: boolean | undefined;
  private readonly graphInputs = new GraphInputs(() => this.getClassName(), SLOTS, ['decoderAttentionMask', 'encoderAttentionMask']);
  private selfAttention!: AttentionVariables;
  private selfAttentionNorm!: Norm;
  private crossAttention?: AttentionVariables;
  private crossAttentionNorm?: Norm;
  private feedForwardWeights!: FeedForwardVariables;
  private feedForwardNorm!: Norm;

  constructor(args: TransformerBlockArgs) {
    super(args);
    this.config = transformerBlockConfig(args, WHERE);
  }

  override build(inputShape: Shape | Shape[]): void {
    const named = this.graphInputs.assign(shapeList(inputShape));
    const [decoderShape, encoderShape] = [named.decoderSequence!, named.encoderSequence];
    for (const [name, shape] of [
      ['decoderSequence', decoderShape],
      ['encoderSequence', encoderShape],
    ] as const) {
      if (shape && shape.length !== 3) throw new Error(`${WHERE}: ${name} must have shape (batch, time, width); got shape [${shape}]`);
    }
    const width = decoderShape[2];
    assertHeadsDivideWidth(this.config.numHeads, width, decoderShape, WHERE);
    const kernel = makeInitializer(this.config.kernelInitializer, WHERE, 'kernelInitializer');
    const bias = makeInitializer(this.config.biasInitializer, WHERE, 'biasInitializer');
    const add = (name: string, weightShape: number[], initializer: typeof kernel) => this.addWeight(name, weightShape, 'float32', initializer);
    this.selfAttention = addAttentionWeights(add, 'self_attention', width, width, this.config.numHeads, kernel, bias);
    this.selfAttentionNorm = addLayerNormWeights(add, 'self_attention_layer_norm', width);
    if (encoderShape) {
      this.crossAttention = addAttentionWeights(add, 'cross_attention', width, encoderShape[2]!, this.config.numHeads, kernel, bias);
      this.crossAttentionNorm = addLayerNormWeights(add, 'cross_attention_layer_norm', width);
    }
    this.feedForwardWeights = addFeedForwardWeights(add, width, this.config.intermediateDim, kernel, bias);
    this.feedForwardNorm = addLayerNormWeights(add, 'feedforward_layer_norm', width);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return this.graphInputs.assign(shapeList(inputShape)).decoderSequence!;
  }

  override apply(inputs: tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[], kwargs: Kwargs = {}): tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[] {
    if (isSymbolic(inputs)) {
      if (kwargs.returnAttentionWeights) throw new Error(`${WHERE}: returnAttentionWeights is for eager calls; got SymbolicTensor inputs (call the block on tensors to read its attention)`);
      this.graphCausal = kwargs.useCausalMask === undefined ? true : Boolean(kwargs.useCausalMask);
      ({ inputs, kwargs } = this.graphInputs.prepare(inputs as tf.SymbolicTensor | tf.SymbolicTensor[], kwargs));
    }
    return super.apply(inputs, kwargs);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const named = this.graphInputs.assign(inputList(inputs));
    const [x, memory] = [named.decoderSequence!, named.encoderSequence];
    const given = kwargs as TransformerDecoderCallOptions;
    const options: TransformerDecoderCallOptions = {
      ...given,
      decoderAttentionMask: named.decoderAttentionMask ?? given.decoderAttentionMask,
      encoderAttentionMask: named.encoderAttentionMask ?? given.encoderAttentionMask,
    };
    this.validate(x, memory, options);
    const { dropout, attentionDropout, attentionOutputDropout } = this.config;
    const training = Boolean(options.training);
    const causal = options.useCausalMask ?? this.graphCausal ?? true;
    const dropAt = (rate: number) => (t: tf.Tensor) => (training && rate > 0 ? tf.dropout(t, rate) : t);
    const drop = dropAt(dropout);
    const dropAttentionOutput = dropAt(attentionOutputDropout);
    const returnWeights = Boolean(options.returnAttentionWeights);
    return tf.tidy(() => {
      const decoderMask = this.graphInputs.maskAsBool('decoderAttentionMask', options.decoderAttentionMask); // graph float 0/1 → bool
      const encoderMask = this.graphInputs.maskAsBool('encoderAttentionMask', options.encoderAttentionMask);
      let selfWeights: tf.Tensor4D | undefined; // (batch, heads, T, T), only when asked
      let crossWeights: tf.Tensor4D | undefined; // (batch, heads, T, S), only when asked
      const selfAttend = (t: tf.Tensor) => {
        const [output, weights] = multiHeadAttentionForward(t, t, t, readAttention(this.selfAttention), { mask: decoderMask, causal, dropout: attentionDropout, training, returnWeights });
        selfWeights = weights;
        return dropAttentionOutput(output); // (batch, T, width)
      };
      const crossAttend = (t: tf.Tensor) => {
        const [output, weights] = multiHeadAttentionForward(t, memory!, memory!, readAttention(this.crossAttention!), { mask: encoderMask, dropout: attentionDropout, training, returnWeights });
        crossWeights = weights;
        return dropAttentionOutput(output); // (batch, T, width)
      };
      const hasCross = memory !== undefined;
      const y = this.sublayers(x, selfAttend, hasCross ? crossAttend : undefined, drop, dropAt(this.config.intermediateDropout));
      if (!returnWeights) return y;
      return hasCross ? [y, selfWeights!, crossWeights!] : [y, selfWeights!];
    });
  }

  /** The residual structure (pre- or post-norm) around the given attentions and the feed-forward network. */
  private sublayers(x: tf.Tensor, selfAttend: (t: tf.Tensor) => tf.Tensor, crossAttend: ((t: tf.Tensor) => tf.Tensor) | undefined, drop: (t: tf.Tensor) => tf.Tensor, dropIntermediate: (t: tf.Tensor) => tf.Tensor): tf.Tensor {
    const { normalizeFirst, layerNormEpsilon, activation } = this.config;
    const norm = (t: tf.Tensor, weights: Norm) => layerNormalization(t, weights.gamma.read(), weights.beta.read(), layerNormEpsilon);
    const feedForwardNetwork = (t: tf.Tensor) => drop(feedForward(t, this.feedForwardWeights, activation, dropIntermediate));
    let y: tf.Tensor;
    if (normalizeFirst) {
      y = tf.add(x, selfAttend(norm(x, this.selfAttentionNorm))); // x + SelfMHA(LN₁(x))
      if (crossAttend) y = tf.add(y, crossAttend(norm(y, this.crossAttentionNorm!))); // x + CrossMHA(LN₂(x), memory)
      return tf.add(y, feedForwardNetwork(norm(y, this.feedForwardNorm))); // x + FFN(LN₃(x))
    }
    y = norm(tf.add(x, selfAttend(x)), this.selfAttentionNorm); // LN₁(x + SelfMHA(x))
    if (crossAttend) y = norm(tf.add(y, crossAttend(y)), this.crossAttentionNorm!); // LN₂(x + CrossMHA(x, memory))
    return norm(tf.add(y, feedForwardNetwork(y)), this.feedForwardNorm); // LN₃(x + FFN(x))
  }

  /**
   * Projects an encoder sequence `(batch, S, encoderWidth)` to the cross-attention keys and values
   * once, for every {@link callWithCache} step of a generation: `{key, value}` each `(batch,
   * heads, S, headDim)`. The caller owns (disposes) them.
   */
  computeCrossAttentionCache(encoderSequence: tf.Tensor): AttentionCache {
    if (!this.built) throw new Error(`${WHERE}: call the block once (or load it) before computeCrossAttentionCache`);
    if (!this.crossAttention) throw new Error(`${WHERE}: built without an encoderSequence (decoder-only), so it has no cross-attention to cache`);
    const encoderWidth = this.crossAttention.keyKernel.shape[0];
    if (encoderSequence.rank !== 3 || encoderSequence.shape[2] !== encoderWidth) {
      throw new Error(`${WHERE}: encoderSequence must have shape (batch, time, ${encoderWidth}); got shape [${encoderSequence.shape}]`);
    }
    const attention = readAttention(this.crossAttention);
    return tf.tidy(() => {
      const key = projectHeads(encoderSequence, attention.keyKernel, attention.keyBias); // (batch, heads, S, headDim)
      const value = projectHeads(encoderSequence, attention.valueKernel, attention.valueBias); // (batch, heads, S, headDim)
      return { key, value };
    });
  }

  /**
   * Incremental decoding: the block on `n` new positions `decoderSequence (batch, n, width)`
   * (usually n = 1) given the keys and values of the earlier ones, inference only (no dropout).
   * Self-attention is causal: new position i sees every cached position and the new ones up to
   * itself. Equals the last `n` rows of a full causal {@link apply} over the whole prefix (the
   * reference path; tested against each other), at the cost of the new positions only.
   *
   * @example
   * ```ts
   * const cross = block.computeCrossAttentionCache(encoded); // once per source
   * let step = block.callWithCache(embed(bos), { crossAttentionCache: cross, encoderAttentionMask: sourceMask });
   * const next = block.callWithCache(embed(token), { selfAttentionCache: step.selfAttentionCache, crossAttentionCache: cross });
   * ```
   */
  callWithCache(decoderSequence: tf.Tensor, options: TransformerDecoderCacheOptions = {}): TransformerDecoderCacheResult {
    if (!this.built) throw new Error(`${WHERE}: call the block once (or load it) before callWithCache`);
    const x = decoderSequence;
    const width = this.selfAttentionNorm.gamma.shape[0]!;
    const heads = this.config.numHeads;
    const depth = width / heads;
    if (!(x instanceof tf.Tensor) || x.rank !== 3 || x.shape[2] !== width) {
      throw new Error(`${WHERE}: decoderSequence must have shape (batch, n, ${width}); got ${x instanceof tf.Tensor ? `shape [${x.shape}]` : typeof x}`);
    }
    const [batch, n] = x.shape as [number, number, number];
    const past = options.selfAttentionCache;
    if (past) assertCacheFits(past, 'selfAttentionCache', batch, heads, depth, WHERE);
    const cross = options.crossAttentionCache;
    if (this.crossAttention && !cross) throw new Error(`${WHERE}: built with cross-attention, so callWithCache needs crossAttentionCache (from computeCrossAttentionCache)`);
    if (!this.crossAttention && cross) throw new Error(`${WHERE}: built without an encoderSequence (decoder-only), so it takes no crossAttentionCache`);
    if (cross) assertCacheFits(cross, 'crossAttentionCache', batch, heads, this.crossAttention!.valueKernel.shape[2]!, WHERE);
    if (options.encoderAttentionMask !== undefined) {
      if (!cross) throw new Error(`${WHERE}: encoderAttentionMask [${options.encoderAttentionMask.shape}] given without a crossAttentionCache`);
      assertMaskFits(options.encoderAttentionMask, [batch, heads, n, cross.key.shape[2]], 'encoderAttentionMask', WHERE);
    }
    const pastLength = past ? past.key.shape[2] : 0;
    if (options.decoderAttentionMask !== undefined) assertMaskFits(options.decoderAttentionMask, [batch, heads, n, pastLength + n], 'decoderAttentionMask', WHERE);
    const returnWeights = Boolean(options.returnAttentionWeights);
    const result = tf.tidy(() => {
      let selfWeights: tf.Tensor4D | undefined;
      let crossWeights: tf.Tensor4D | undefined;
      let cache: AttentionCache | undefined;
      const selfAttend = (t: tf.Tensor) => {
        const attention = readAttention(this.selfAttention);
        const queries = projectHeads(t, attention.queryKernel, attention.queryBias); // (batch, heads, n, headDim)
        const newKeys = projectHeads(t, attention.keyKernel, attention.keyBias); // (batch, heads, n, headDim)
        const newValues = projectHeads(t, attention.valueKernel, attention.valueBias);
        cache = past
          ? { key: tf.concat([past.key, newKeys], 2) as tf.Tensor4D, value: tf.concat([past.value, newValues], 2) as tf.Tensor4D } // (batch, heads, t + n, headDim)
          : { key: newKeys, value: newValues };
        const causal = offsetCausalMask(pastLength, n); // (1, 1, n, t + n) or none for n = 1
        const given = options.decoderAttentionMask && toRank4Mask(options.decoderAttentionMask); // (batch|1, heads|1, n|1, t + n)
        const mask = causal && given ? tf.logicalAnd(causal, given) : (causal ?? given);
        const [output, weights] = attendHeads(queries, cache.key, cache.value, attention, { mask, returnWeights });
        selfWeights = weights;
        return output; // (batch, n, width)
      };
      const crossAttend = (t: tf.Tensor) => {
        const attention = readAttention(this.crossAttention!);
        const queries = projectHeads(t, attention.queryKernel, attention.queryBias); // (batch, heads, n, headDim)
        const [output, weights] = attendHeads(queries, cross!.key, cross!.value, attention, { mask: options.encoderAttentionMask, returnWeights });
        crossWeights = weights;
        return output; // (batch, n, width)
      };
      const output = this.sublayers(x, selfAttend, cross ? crossAttend : undefined, (t) => t, (t) => t) as tf.Tensor3D; // inference: no dropout
      return { output, key: cache!.key, value: cache!.value, selfWeights, crossWeights };
    });
    return {
      output: result.output,
      selfAttentionCache: { key: result.key, value: result.value },
      ...(result.selfWeights ? { selfAttentionWeights: result.selfWeights } : {}),
      ...(result.crossWeights ? { crossAttentionWeights: result.crossWeights } : {}),
    };
  }

  private validate(x: tf.Tensor, memory: tf.Tensor | undefined, options: TransformerDecoderCallOptions): void {
    const width = this.selfAttentionNorm.gamma.shape[0];
    if (x.rank !== 3 || x.shape[2] !== width) throw new Error(`${WHERE}: decoderSequence must have shape (batch, time, ${width}); got shape [${x.shape}]`);
    if (memory !== undefined) {
      if (!this.crossAttention) throw new Error(`${WHERE}: built without an encoderSequence (decoder-only), so it takes none; got shape [${memory.shape}]`);
      const encoderWidth = this.crossAttention.keyKernel.shape[0];
      if (memory.rank !== 3 || memory.shape[2] !== encoderWidth || memory.shape[0] !== x.shape[0]) {
        throw new Error(`${WHERE}: encoderSequence [${memory.shape}] must be (${x.shape[0]}, time, ${encoderWidth}) for decoderSequence [${x.shape}]`);
      }
    } else if (this.crossAttention) {
      throw new Error(`${WHERE}: built with cross-attention, so it needs [decoderSequence, encoderSequence]; got decoderSequence [${x.shape}] alone`);
    }
    const [batch, targetLength] = x.shape as [number, number];
    const heads = this.config.numHeads;
    const floatMasks = this.graphInputs.floatMasks;
    if (options.decoderAttentionMask !== undefined) {
      assertMaskFits(options.decoderAttentionMask, [batch, heads, targetLength, targetLength], 'decoderAttentionMask', WHERE, floatMasks.has('decoderAttentionMask'));
    }
    if (options.encoderAttentionMask !== undefined) {
      if (memory === undefined) throw new Error(`${WHERE}: encoderAttentionMask [${options.encoderAttentionMask.shape}] given without an encoderSequence`);
      assertMaskFits(options.encoderAttentionMask, [batch, heads, targetLength, memory.shape[1]!], 'encoderAttentionMask', WHERE, floatMasks.has('encoderAttentionMask'));
    }
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...this.config };
  }
}
tf.serialization.registerClass(TransformerDecoderBlock);
