import * as tf from '@tensorflow/tfjs';
import { maskedSoftmax } from '@heed/backends';
import { assertMaskFits, type AttentionMask } from '../masks/attention-mask';
import { causalMask } from '../masks/causal-mask';
import { GraphInputs, inputList, shapeList } from './graph-inputs';
import { assertRate, isSymbolic, type Kwargs, type LayerArgs, type Shape } from './layer-utils';

/** Configuration shared by the single-head scored attention layers. */
export interface ScoredAttentionArgs extends LayerArgs {
  /** Dropout rate on the attention weights while training. Default 0. */
  dropout?: number;
}

/** Call options of the scored attention layers (Keras names). */
export interface ScoredAttentionCallOptions {
  /** bool/int32 `(batch, T, S)`, `(batch, 1, S)` or `(T, S)`; true = may attend. */
  attentionMask?: AttentionMask;
  /** Block each query from attending to later keys. Default false. */
  useCausalMask?: boolean;
  /** Return `[context, weights]` with `weights (batch, T, S)`. Default false. */
  returnAttentionScores?: boolean;
  /** Whether dropout is active. Default false. */
  training?: boolean;
}

const GRAPH_OPTION_KEYS = ['useCausalMask', 'returnAttentionScores'] as const;
const SLOTS = ['query', 'value', 'key', 'attentionMask'] as const;

/**
 * The shape every classic single-head attention shares (Bahdanau 2015, Luong 2015): a score
 * `score(queryₜ, keyₛ)` for each pair, `weights = softmax(scores)` over the keys the mask allows
 * (masked keys get exactly zero weight), `context = weights · value`. Subclasses define the score
 * in `score()` and create its weights in `buildScore()`; an optional `reweight()` may rescale the
 * weights after the softmax (local-p's Gaussian).
 *
 * Call as `layer.apply([query, value, key?], options)` with `query (batch, T, queryDim)`,
 * `value (batch, S, valueDim)`, `key (batch, S, keyDim)` (default: value); returns the context
 * `(batch, T, valueDim)`, or `[context, weights]` with `weights (batch, T, S)`. In a `tf.model`
 * graph the mask is a fourth input (or a SymbolicTensor `attentionMask` option; float32 there is
 * read as 0/1) and `useCausalMask` / `returnAttentionScores` given at the symbolic `apply` become
 * the layer's defaults (tfjs' executor drops per-call options). The same tensor given twice
 * (`apply([x, x])`) becomes one graph input, sidestepping a tfjs 4.22 executor bug that disposes
 * repeated inputs while a later layer still needs them.
 *
 * @example
 * ```ts
 * class DotAttention extends ScoredAttention {
 *   static className = 'DotAttention';
 *   protected buildScore() {}
 *   protected score(query: tf.Tensor3D, key: tf.Tensor3D) { return multiplicativeScore(query, key); }
 * }
 * ```
 */
export abstract class ScoredAttention extends tf.layers.Layer {
  readonly dropout: number;
  private graphOptions: Record<string, boolean> | undefined;
  private builtDims: { query: number; key: number } | undefined;
  private pendingReturnScores = false;
  private readonly graphInputs = new GraphInputs(() => this.getClassName(), SLOTS, ['attentionMask']);

  constructor(args: ScoredAttentionArgs = {}) {
    super(args);
    assertRate(args.dropout ?? 0, 'dropout', this.getClassName());
    this.dropout = args.dropout ?? 0;
  }

  /** Creates the score's weights for `query (batch, T, queryDim)` and `key (batch, S, keyDim)`. */
  protected abstract buildScore(queryShape: Shape, keyShape: Shape): void;

  /** Scores `(batch, T, S)` of `query (batch, T, queryDim)` against `key (batch, S, keyDim)`. */
  protected abstract score(query: tf.Tensor3D, key: tf.Tensor3D): tf.Tensor3D;

  /** Optional post-softmax reweighting of `weights (batch, T, S)`; identity by default. */
  protected reweight(weights: tf.Tensor3D, _query: tf.Tensor3D, _keyLength: number): tf.Tensor3D {
    return weights;
  }

  /**
   * Optional mask of the layer's own (e.g. a local window) for `query (batch, T, ·)` and S keys:
   * bool, or a float32 0/1 multiplier when it is computed from trained tensors.
   */
  protected ownMask(_query: tf.Tensor3D, _keyLength: number): tf.Tensor | undefined {
    return undefined;
  }

  protected shapesOf(inputShape: Shape | Shape[]): { query: Shape; value: Shape; key: Shape } {
    const named = this.graphInputs.assign(shapeList(inputShape));
    const query = named.query!;
    const value = named.value ?? query;
    const key = named.key ?? value;
    for (const [name, shape] of [
      ['query', query],
      ['value', value],
      ['key', key],
    ] as const) {
      if (shape.length !== 3) throw new Error(`${this.getClassName()}: ${name} must have shape (batch, time, dim); got shape [${shape}]`);
    }
    if (key[1] !== null && value[1] !== null && key[1] !== value[1]) {
      throw new Error(`${this.getClassName()}: key [${key}] and value [${value}] must have the same time axis`);
    }
    return { query, value, key };
  }

  override build(inputShape: Shape | Shape[]): void {
    const { query, key } = this.shapesOf(inputShape);
    this.buildScore(query, key);
    this.builtDims = { query: query[2]!, key: key[2]! };
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const { query, value, key } = this.shapesOf(inputShape);
    const context: Shape = [query[0]!, query[1]!, value[2]!];
    return this.pendingReturnScores ? [context, [query[0]!, query[1]!, key[1]!]] : context;
  }

  override apply(inputs: tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[], kwargs: Kwargs = {}): tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[] {
    if (isSymbolic(inputs)) {
      this.graphOptions = Object.fromEntries(GRAPH_OPTION_KEYS.map((name) => [name, Boolean(kwargs[name])]));
      ({ inputs, kwargs } = this.graphInputs.prepare(inputs as tf.SymbolicTensor | tf.SymbolicTensor[], kwargs));
    } else if (kwargs.attentionMask instanceof tf.SymbolicTensor) {
      throw new Error(`${this.getClassName()}: attentionMask is a SymbolicTensor but the inputs are not; apply the layer to SymbolicTensors (tf.input) in a graph`);
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
    const query = named.query! as tf.Tensor3D;
    const value = (named.value ?? query) as tf.Tensor3D;
    const key = (named.key ?? value) as tf.Tensor3D;
    const options = { ...this.graphOptions, ...kwargs } as ScoredAttentionCallOptions;
    const givenMask = named.attentionMask ?? options.attentionMask;
    this.validate(query, value, key, givenMask);
    return tf.tidy(() => {
      const queryLength = query.shape[1];
      const keyLength = key.shape[1];
      // Constant masks combine as bool (maskedSoftmax then has its cheap closed-form gradient);
      // a mask of the layer's own computed from trained tensors (local-p's float 0/1 window)
      // makes them float multipliers combined by product, keeping comparison ops off the tape.
      const masks: tf.Tensor[] = [];
      const attentionMask = this.graphInputs.maskAsBool('attentionMask', givenMask);
      if (attentionMask) masks.push(attentionMask.dtype === 'bool' ? attentionMask : tf.notEqual(attentionMask, 0));
      const own = this.ownMask(query, keyLength);
      if (own) masks.push(own.dtype === 'float32' || own.dtype === 'bool' ? own : tf.notEqual(own, 0));
      if (options.useCausalMask) masks.push(causalMask(queryLength, keyLength)); // (T, S)
      const float = masks.some((mask) => mask.dtype === 'float32');
      const mask =
        masks.length === 0
          ? undefined
          : float
            ? masks.map((mask) => (mask.dtype === 'float32' ? mask : tf.cast(mask, 'float32'))).reduce((product, next) => tf.mul(product, next))
            : masks.reduce((both, next) => tf.logicalAnd(both, next));
      const scores = this.score(query, key); // (batch, T, S)
      const weights = this.reweight(maskedSoftmax(scores, mask), query, keyLength); // (batch, T, S)
      const dropped = options.training && this.dropout > 0 ? tf.dropout(weights, this.dropout) : weights;
      const context = tf.matMul(dropped, value); // (batch, T, valueDim)
      return options.returnAttentionScores ? [context, weights] : context;
    });
  }

  private validate(query: tf.Tensor, value: tf.Tensor, key: tf.Tensor, attentionMask: tf.Tensor | undefined): void {
    const where = this.getClassName();
    for (const [name, tensor] of [
      ['query', query],
      ['value', value],
      ['key', key],
    ] as const) {
      if (tensor.rank !== 3) throw new Error(`${where}: ${name} must have shape (batch, time, dim); got shape [${tensor.shape}]`);
      if (tensor.shape[0] !== query.shape[0]) throw new Error(`${where}: ${name} [${tensor.shape}] and query [${query.shape}] differ in batch size`);
    }
    if (key.shape[1] !== value.shape[1]) throw new Error(`${where}: key [${key.shape}] and value [${value.shape}] must have the same time axis`);
    for (const [name, tensor] of [
      ['query', query],
      ['key', key],
    ] as const) {
      const built = this.builtDims?.[name];
      if (built !== undefined && built !== null && tensor.shape[2] !== built) {
        throw new Error(`${where}: ${name} has shape [${tensor.shape}] but the layer was built for ${name} dim ${built}`);
      }
    }
    if (attentionMask !== undefined) {
      if (attentionMask.rank === 4) throw new Error(`${where}: attentionMask must have rank 2 or 3 (one head); got shape [${attentionMask.shape}]`);
      assertMaskFits(attentionMask, [query.shape[0]!, 1, query.shape[1]!, key.shape[1]!], 'attentionMask', where, this.graphInputs.floatMasks.has('attentionMask'));
    }
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), dropout: this.dropout };
  }
}
