import * as tf from '@tensorflow/tfjs';
import { assertMaskFits, type AttentionMask } from '../masks/attention-mask';
import { layerNormalization } from '../ops/layer-normalization';
import { multiHeadAttentionForward } from '../ops/multi-head-attention-forward';
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
import { assertHeadsDivideWidth, transformerBlockConfig, type TransformerBlockArgs, type TransformerBlockConfig } from './transformer-block-args';

const WHERE = 'TransformerEncoderBlock';

/** Call options of {@link TransformerEncoderBlock}. */
export interface TransformerEncoderCallOptions {
  /** Which keys each position may attend to (true = may attend), e.g. {@link paddingMask}. */
  attentionMask?: AttentionMask;
  /** Causal self-attention (for decoder-only stacks). Default false. */
  useCausalMask?: boolean;
  /**
   * Also return the self-attention weights: the call then gives `[output (batch, time, width),
   * weights (batch, heads, time, time)]`, the softmax before dropout (Keras-hub
   * `return_attention_scores`). Asking keeps the fused attention kernel from running for this
   * call; when nobody asks it runs as usual. Eager calls only. Default false.
   */
  returnAttentionWeights?: boolean;
  training?: boolean;
}

/**
 * One transformer encoder layer (Vaswani et al. 2017, §3.1), equal to PyTorch's
 * `nn.TransformerEncoderLayer(batch_first=True)`:
 *
 *   post-norm: x = LN₁(x + MHA(x));  x = LN₂(x + FFN(x))
 *   pre-norm:  x = x + MHA(LN₁(x));  x = x + FFN(LN₂(x))       (normalizeFirst, Xiong et al. 2020)
 *
 * with dropout on the attention weights (`attentionDropout`), the attention output
 * (`attentionOutputDropout`), the FFN hidden layer (`intermediateDropout`) and the FFN output
 * (`dropout`, also the default of the other three). BERT's rates, for instance, are
 * `{ dropout: hidden_dropout_prob, attentionDropout: attention_probs_dropout_prob, intermediateDropout: 0 }`.
 * `(batch, time, width) → (batch, time, width)`; numHeads must divide width. Weights (Keras-hub
 * names): `self_attention/{query,key,value,attention_output}/{kernel,bias}`,
 * `self_attention_layer_norm/{gamma,beta}`, `feedforward_intermediate_dense/…`,
 * `feedforward_output_dense/…`, `feedforward_layer_norm/…`. In a graph, pass a mask as a
 * second input, `apply([x, mask])`, or as a SymbolicTensor option `apply(x, {attentionMask: mask})`;
 * a mask computed in the graph arrives as float32 (tfjs makes every layer output float32) and is
 * read as 0/1, nonzero = may attend. Eager float masks are refused (PyTorch's are additive).
 *
 * @example
 * ```ts
 * const block = new TransformerEncoderBlock({ numHeads: 4, intermediateDim: 256, normalizeFirst: true, activation: 'gelu' });
 * const encoded = block.apply(embeddings, { attentionMask: paddingMask(lengths) }) as tf.Tensor; // (batch, time, 64)
 * const [same, weights] = block.apply(embeddings, { returnAttentionWeights: true }) as tf.Tensor[]; // weights (batch, 4, time, time)
 * ```
 */
export class TransformerEncoderBlock extends tf.layers.Layer {
  static className = 'TransformerEncoderBlock';
  readonly config: TransformerBlockConfig;
  private graphCausal: boolean | undefined;
  private readonly graphInputs = new GraphInputs(() => this.getClassName(), ['inputs', 'attentionMask'], ['attentionMask']);
  private selfAttention!: AttentionVariables;
  private selfAttentionNorm!: { gamma: tf.LayerVariable; beta: tf.LayerVariable };
  private feedForwardWeights!: FeedForwardVariables;
  private feedForwardNorm!: { gamma: tf.LayerVariable; beta: tf.LayerVariable };

  constructor(args: TransformerBlockArgs) {
    super(args);
    this.config = transformerBlockConfig(args, WHERE);
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = this.graphInputs.assign(shapeList(inputShape)).inputs!;
    if (shape.length !== 3) throw new Error(`${WHERE}: inputs must have shape (batch, time, width); got shape [${shape}]`);
    const width = shape[2];
    assertHeadsDivideWidth(this.config.numHeads, width, shape, WHERE);
    const kernel = makeInitializer(this.config.kernelInitializer, WHERE, 'kernelInitializer');
    const bias = makeInitializer(this.config.biasInitializer, WHERE, 'biasInitializer');
    const add = (name: string, weightShape: number[], initializer: typeof kernel) => this.addWeight(name, weightShape, 'float32', initializer);
    this.selfAttention = addAttentionWeights(add, 'self_attention', width, width, this.config.numHeads, kernel, bias);
    this.selfAttentionNorm = addLayerNormWeights(add, 'self_attention_layer_norm', width);
    this.feedForwardWeights = addFeedForwardWeights(add, width, this.config.intermediateDim, kernel, bias);
    this.feedForwardNorm = addLayerNormWeights(add, 'feedforward_layer_norm', width);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return this.graphInputs.assign(shapeList(inputShape)).inputs!;
  }

  override apply(inputs: tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[], kwargs: Kwargs = {}): tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[] {
    if (isSymbolic(inputs)) {
      if (kwargs.returnAttentionWeights) throw new Error(`${WHERE}: returnAttentionWeights is for eager calls; got SymbolicTensor inputs (call the block on tensors to read its attention)`);
      this.graphCausal = Boolean(kwargs.useCausalMask);
      ({ inputs, kwargs } = this.graphInputs.prepare(inputs as tf.SymbolicTensor | tf.SymbolicTensor[], kwargs));
    }
    return super.apply(inputs, kwargs);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const named = this.graphInputs.assign(inputList(inputs));
    const x = named.inputs!;
    const options = kwargs as TransformerEncoderCallOptions;
    const givenMask = named.attentionMask ?? options.attentionMask;
    const width = this.selfAttentionNorm.gamma.shape[0];
    if (x.rank !== 3 || x.shape[2] !== width) throw new Error(`${WHERE}: inputs must have shape (batch, time, ${width}); got shape [${x.shape}]`);
    if (givenMask !== undefined) {
      assertMaskFits(givenMask, [x.shape[0]!, this.config.numHeads, x.shape[1]!, x.shape[1]!], 'attentionMask', WHERE, this.graphInputs.floatMasks.has('attentionMask'));
    }
    const { dropout, attentionDropout, attentionOutputDropout, intermediateDropout, normalizeFirst, layerNormEpsilon, activation } = this.config;
    const training = Boolean(options.training);
    const dropAt = (rate: number) => (t: tf.Tensor) => (training && rate > 0 ? tf.dropout(t, rate) : t);
    const drop = dropAt(dropout);
    const norm = (t: tf.Tensor, weights: { gamma: tf.LayerVariable; beta: tf.LayerVariable }) => layerNormalization(t, weights.gamma.read(), weights.beta.read(), layerNormEpsilon);
    const returnWeights = Boolean(options.returnAttentionWeights);
    return tf.tidy(() => {
      const attentionMask = this.graphInputs.maskAsBool('attentionMask', givenMask); // graph float 0/1 → bool
      let attentionWeights: tf.Tensor4D | undefined; // (batch, heads, time, time), only when asked
      const selfAttend = (t: tf.Tensor) => {
        const [output, weights] = multiHeadAttentionForward(t, t, t, readAttention(this.selfAttention), {
          mask: attentionMask,
          causal: Boolean(options.useCausalMask ?? this.graphCausal),
          dropout: attentionDropout,
          training,
          returnWeights,
        }); // (batch, time, width)
        attentionWeights = weights;
        return dropAt(attentionOutputDropout)(output);
      };
      const feedForwardNetwork = (t: tf.Tensor) => drop(feedForward(t, this.feedForwardWeights, activation, dropAt(intermediateDropout)));
      let output: tf.Tensor;
      if (normalizeFirst) {
        const attended = tf.add(x, selfAttend(norm(x, this.selfAttentionNorm))); // x + MHA(LN₁(x))
        output = tf.add(attended, feedForwardNetwork(norm(attended, this.feedForwardNorm))); // x + FFN(LN₂(x))
      } else {
        const attended = norm(tf.add(x, selfAttend(x)), this.selfAttentionNorm); // LN₁(x + MHA(x))
        output = norm(tf.add(attended, feedForwardNetwork(attended)), this.feedForwardNorm); // LN₂(x + FFN(x))
      }
      return returnWeights ? [output, attentionWeights!] : output;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...this.config };
  }
}
tf.serialization.registerClass(TransformerEncoderBlock);
