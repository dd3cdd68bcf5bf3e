import * as tf from '@tensorflow/tfjs';
import { assertMaskFits, type AttentionMask } from '../masks/attention-mask';
import { combineMasks } from '../masks/combine-masks';
import { multiHeadAttentionForward, type MultiHeadWeights } from '../ops/multi-head-attention-forward';
import { GraphInputs, inputList, shapeList } from './graph-inputs';
import {
  isSymbolic,
  assertPositiveInteger,
  assertRate,
  makeInitializer,
  type InitializerName,
  type Kwargs,
  type LayerArgs,
  type Shape,
} from './layer-utils';

/** Configuration of {@link MultiHeadAttention}; keys as Keras' `MultiHeadAttention`. */
export interface MultiHeadAttentionArgs extends LayerArgs {
  /** Number of attention heads. */
  numHeads: number;
  /** Size of each head for query and key. */
  keyDim: number;
  /** Size of each head for value. Default `keyDim`. */
  valueDim?: number;
  /** Dropout rate on the attention weights while training. Default 0. */
  dropout?: number;
  /** Whether the four projections have biases. Default true. */
  useBias?: boolean;
  /** Last dimension of the output. Default: the query's last dimension. */
  outputShape?: number;
  /** Initializer of the projection kernels. Default `glorotUniform` (as Keras). */
  kernelInitializer?: InitializerName;
  /** Initializer of the biases. Default `zeros`. */
  biasInitializer?: InitializerName;
}

/** Call options of {@link MultiHeadAttention} (Keras names). */
export interface MultiHeadAttentionCallOptions {
  /** bool/int32 `(batch, T, S)` (or any {@link AttentionMask} shape), true = may attend. */
  attentionMask?: AttentionMask;
  /** Block each query from attending to later keys. Default false. */
  useCausalMask?: boolean;
  /** Return `[output, scores]` with per-head scores `(batch, heads, T, S)`. Default false. */
  returnAttentionScores?: boolean;
  /** Whether dropout is active. Default false. */
  training?: boolean;
}

const WHERE = 'MultiHeadAttention';
const SLOTS = ['query', 'value', 'key', 'attentionMask'] as const;
const GRAPH_OPTION_KEYS = ['useCausalMask', 'returnAttentionScores'] as const;

/**
 * Multi-head attention (Vaswani et al. 2017, §3.2.2), with Keras' names and config keys:
 *
 *   headᵢ = softmax(Q·W_qᵢ (K·W_kᵢ)ᵀ / √keyDim) · V·W_vᵢ,   output = concat(head₁…head_h)·W_o
 *
 * Call it as `mha.apply(query)` (self-attention) or `mha.apply([query, value, key?], options)`
 * with `query (batch, T, queryDim)`, `value (batch, S, valueDim)`, `key (batch, S, keyDim)`
 * (default: value). Returns `(batch, T, outputShape)`, or `[output, scores]` with the per-head
 * attention weights `(batch, numHeads, T, S)` when `returnAttentionScores`. Weights
 * (Keras names and shapes): `query/kernel (queryDim, numHeads, keyDim)`, `query/bias
 * (numHeads, keyDim)`, the same for `key` and `value`, `attention_output/kernel (numHeads,
 * valueDim, outputShape)`, `attention_output/bias (outputShape,)`.
 *
 * Works eagerly and in `tf.model` graphs. tfjs' graph executor does not forward per-call
 * options, so in a graph the `useCausalMask` / `returnAttentionScores` given at the symbolic
 * `apply` are remembered by the layer (one set per layer) and become its defaults, later eager
 * calls included (pass them explicitly to override); an attention mask is a fourth input,
 * `apply([query, value, key, mask])`, or a SymbolicTensor option `apply(x, {attentionMask: mask})`.
 * A mask that reaches the graph as float32 (every tfjs layer output is float32) is read as 0/1,
 * nonzero = may attend. The same tensor given twice (`apply([x, x])`) becomes one graph input,
 * which sidesteps a tfjs 4.22 executor bug that disposes repeated inputs early. Equal to
 * PyTorch's `nn.MultiheadAttention` (see {@link fromTorchMultiheadAttention}).
 *
 * @example
 * ```ts
 * const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 4 });
 * const x = tf.randomNormal([1, 5, 8]);
 * const [output, scores] = mha.apply([x, x], { useCausalMask: true, returnAttentionScores: true }) as tf.Tensor[];
 * // output (1, 5, 8), scores (1, 2, 5, 5)
 * ```
 */
export class MultiHeadAttention extends tf.layers.Layer {
  static className = 'MultiHeadAttention';
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly dropout: number;
  readonly useBias: boolean;
  /** The `outputShape` config value (tfjs' `Layer.outputShape` is taken). */
  readonly outputDim: number | undefined;
  readonly kernelInitializer: InitializerName;
  readonly biasInitializer: InitializerName;
  private graphOptions: Pick<MultiHeadAttentionCallOptions, 'useCausalMask' | 'returnAttentionScores'> | undefined;
  private pendingReturnScores = false;
  private readonly graphInputs = new GraphInputs(() => this.getClassName(), SLOTS, ['attentionMask']);
  private queryKernel!: tf.LayerVariable;
  private keyKernel!: tf.LayerVariable;
  private valueKernel!: tf.LayerVariable;
  private outputKernel!: tf.LayerVariable;
  private queryBias?: tf.LayerVariable;
  private keyBias?: tf.LayerVariable;
  private valueBias?: tf.LayerVariable;
  private outputBias?: tf.LayerVariable;

  constructor(args: MultiHeadAttentionArgs) {
    super(args);
    assertPositiveInteger(args.numHeads, 'numHeads', WHERE);
    assertPositiveInteger(args.keyDim, 'keyDim', WHERE);
    if (args.valueDim !== undefined && args.valueDim !== null) assertPositiveInteger(args.valueDim, 'valueDim', WHERE);
    if (args.outputShape !== undefined && args.outputShape !== null) assertPositiveInteger(args.outputShape, 'outputShape', WHERE);
    assertRate(args.dropout ?? 0, 'dropout', WHERE);
    this.numHeads = args.numHeads;
    this.keyDim = args.keyDim;
    this.valueDim = args.valueDim ?? args.keyDim;
    this.dropout = args.dropout ?? 0;
    this.useBias = args.useBias ?? true;
    this.outputDim = args.outputShape ?? undefined;
    this.kernelInitializer = args.kernelInitializer ?? 'glorotUniform';
    this.biasInitializer = args.biasInitializer ?? 'zeros';
    makeInitializer(this.kernelInitializer, WHERE, 'kernelInitializer');
    makeInitializer(this.biasInitializer, WHERE, 'biasInitializer');
  }

  /** Splits `inputShape` into the query, value and key shapes (key defaults to value). */
  private shapesOf(inputShape: Shape | Shape[]): { query: Shape; value: Shape; key: Shape } {
    const named = this.graphInputs.assign(shapeList(inputShape));
    const query = named.query!;
    const value = named.value ?? query;
    const key = named.key ?? value;
    for (const [name, shape] of [
      ['query', query],
      ['value', value],
      ['key', key],
    ] as const) {
      if (shape.length !== 3) throw new Error(`${WHERE}: ${name} must have shape (batch, time, dim); got shape [${shape}]`);
    }
    return { query, value, key };
  }

  override build(inputShape: Shape | Shape[]): void {
    const { query, value, key } = this.shapesOf(inputShape);
    const queryDim = query[2]!;
    const outputDim = this.outputDim ?? queryDim;
    const kernel = makeInitializer(this.kernelInitializer, WHERE, 'kernelInitializer');
    const bias = makeInitializer(this.biasInitializer, WHERE, 'biasInitializer');
    this.queryKernel = this.addWeight('query/kernel', [queryDim, this.numHeads, this.keyDim], 'float32', kernel);
    this.keyKernel = this.addWeight('key/kernel', [key[2]!, this.numHeads, this.keyDim], 'float32', kernel);
    this.valueKernel = this.addWeight('value/kernel', [value[2]!, this.numHeads, this.valueDim], 'float32', kernel);
    this.outputKernel = this.addWeight('attention_output/kernel', [this.numHeads, this.valueDim, outputDim], 'float32', kernel);
    if (this.useBias) {
      this.queryBias = this.addWeight('query/bias', [this.numHeads, this.keyDim], 'float32', bias);
      this.keyBias = this.addWeight('key/bias', [this.numHeads, this.keyDim], 'float32', bias);
      this.valueBias = this.addWeight('value/bias', [this.numHeads, this.valueDim], 'float32', bias);
      this.outputBias = this.addWeight('attention_output/bias', [outputDim], 'float32', bias);
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const { query, key } = this.shapesOf(inputShape);
    const output: Shape = [query[0]!, query[1]!, this.outputDim ?? query[2]!];
    if (!this.pendingReturnScores) return output;
    return [output, [query[0]!, this.numHeads, query[1]!, key[1]!]];
  }

  /** Records the graph call options and input layout (tfjs' executor drops per-call kwargs), then applies. */
  override apply(inputs: tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[], kwargs: Kwargs = {}): tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[] {
    if (isSymbolic(inputs)) {
      const options = Object.fromEntries(GRAPH_OPTION_KEYS.map((name) => [name, Boolean(kwargs[name])]));
      if (this.graphOptions && GRAPH_OPTION_KEYS.some((name) => this.graphOptions![name] !== options[name])) {
        throw new Error(`${WHERE}: a layer applied in several graphs must use the same useCausalMask/returnAttentionScores each time`);
      }
      this.graphOptions = options;
      ({ inputs, kwargs } = this.graphInputs.prepare(inputs as tf.SymbolicTensor | tf.SymbolicTensor[], kwargs));
    } else if (kwargs.attentionMask instanceof tf.SymbolicTensor) {
      throw new Error(`${WHERE}: attentionMask is a SymbolicTensor but the inputs are not; apply the layer to SymbolicTensors (tf.input) in a graph`);
    }
    this.pendingReturnScores = Boolean(kwargs.returnAttentionScores ?? this.graphOptions?.returnAttentionScores);
    try {
      return super.apply(inputs, kwargs);
    } finally {
      this.pendingReturnScores = false;
    }
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const named = this.graphInputs.assign(inputList(inputs));
    const query = named.query!;
    const value = named.value ?? query;
    const key = named.key ?? value;
    const options = { ...this.graphOptions, ...kwargs } as MultiHeadAttentionCallOptions;
    const givenMask = named.attentionMask ?? options.attentionMask;
    this.validate(query, value, key, givenMask);
    const attentionMask = this.graphInputs.maskAsBool('attentionMask', givenMask);
    let ownMask: tf.Tensor | undefined;
    let mask: tf.Tensor | undefined;
    try {
      ownMask = this.ownMask(query.shape[1]!, key.shape[1]!);
      mask = ownMask ? combineMasks(attentionMask, ownMask) : attentionMask;
      const returnScores = Boolean(options.returnAttentionScores);
      const [output, scores] = multiHeadAttentionForward(query, value, key, this.currentWeights(), {
        mask,
        causal: Boolean(options.useCausalMask),
        dropout: this.dropout,
        training: Boolean(options.training),
        returnWeights: returnScores,
      }); // (batch, T, outputDim), (batch, heads, T, S) when asked
      return returnScores ? [output, scores!] : output;
    } finally {
      for (const made of [ownMask, mask === attentionMask ? undefined : mask, attentionMask === givenMask ? undefined : attentionMask]) made?.dispose();
    }
  }

  /**
   * A mask of the layer's own, `(queryLength, keyLength)` bool (true = may attend), combined by
   * logical AND with the given attention mask; none by default. Subclasses such as
   * {@link HybridAttention} override it.
   */
  protected ownMask(_queryLength: number, _keyLength: number): tf.Tensor | undefined {
    return undefined;
  }

  private currentWeights(): MultiHeadWeights {
    return {
      queryKernel: this.queryKernel.read(),
      keyKernel: this.keyKernel.read(),
      valueKernel: this.valueKernel.read(),
      outputKernel: this.outputKernel.read(),
      queryBias: this.queryBias?.read(),
      keyBias: this.keyBias?.read(),
      valueBias: this.valueBias?.read(),
      outputBias: this.outputBias?.read(),
    };
  }

  /** Checks ranks, widths and the mask against the built weights, naming both shapes. */
  private validate(query: tf.Tensor, value: tf.Tensor, key: tf.Tensor, attentionMask: tf.Tensor | undefined): void {
    const expected = { query: this.queryKernel.shape[0], value: this.valueKernel.shape[0], key: this.keyKernel.shape[0] };
    for (const [name, tensor] of [
      ['query', query],
      ['value', value],
      ['key', key],
    ] as const) {
      if (tensor.rank !== 3) throw new Error(`${WHERE}: ${name} must have shape (batch, time, dim); got shape [${tensor.shape}]`);
      if (tensor.shape[2] !== expected[name]) {
        throw new Error(`${WHERE}: ${name} has shape [${tensor.shape}] but the layer was built for ${name} dim ${expected[name]}`);
      }
      if (tensor.shape[0] !== query.shape[0]) throw new Error(`${WHERE}: ${name} [${tensor.shape}] and query [${query.shape}] differ in batch size`);
    }
    if (key.shape[1] !== value.shape[1]) throw new Error(`${WHERE}: key [${key.shape}] and value [${value.shape}] must have the same time axis`);
    if (attentionMask !== undefined) {
      assertMaskFits(attentionMask, [query.shape[0]!, this.numHeads, query.shape[1]!, key.shape[1]!], 'attentionMask', WHERE, this.graphInputs.floatMasks.has('attentionMask'));
    }
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      numHeads: this.numHeads,
      keyDim: this.keyDim,
      valueDim: this.valueDim,
      dropout: this.dropout,
      useBias: this.useBias,
      outputShape: this.outputDim ?? null,
      kernelInitializer: this.kernelInitializer,
      biasInitializer: this.biasInitializer,
    };
  }
}
tf.serialization.registerClass(MultiHeadAttention);
