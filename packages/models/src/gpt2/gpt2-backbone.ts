import * as tf from '@tensorflow/tfjs';
import { denseLastAxis, layerNormalization, scaledDotProductAttention, type AttentionCache } from '@heed/attention';
import { hiddenActivation } from '../bert/hidden-activation';
import { embeddingLookup } from '../bert/embedding-lookup';
import { gpt2InnerSize, type HfGpt2Config } from '../hf/config/hf-gpt2-config';
import type { HfParameters } from '../hf/hf-parameters';

/** The variables of one GPT-2 block, each holding its HF tensor as stored (Conv1D `(in, out)`). */
interface Gpt2BlockVariables {
  ln1: { gamma: tf.Variable; beta: tf.Variable };
  cAttn: { weight: tf.Variable; bias: tf.Variable }; // (n_embd, 3·n_embd): query | key | value
  cProj: { weight: tf.Variable; bias: tf.Variable };
  ln2: { gamma: tf.Variable; beta: tf.Variable };
  cFc: { weight: tf.Variable; bias: tf.Variable };
  mlpProj: { weight: tf.Variable; bias: tf.Variable };
}

/** Inputs of {@link Gpt2Backbone.call}. */
export interface Gpt2CallInputs {
  /** New token ids `(batch, n)` int32. */
  readonly inputIds: tf.Tensor2D;
  /** 1 = token, 0 = padding, over every position so far `(batch, past + n)`. Default all ones. */
  readonly attentionMask?: tf.Tensor2D;
  /** Position ids `(batch, n)`. Default `past … past + n − 1` (left-padded generation passes `cumsum(mask) − 1`). */
  readonly positionIds?: tf.Tensor2D;
  /** Each layer's keys and values of the earlier positions `(batch, heads, past, headDim)`. */
  readonly pastKeyValues?: readonly AttentionCache[];
}

/** What {@link Gpt2Backbone.call} returns; every tensor is the caller's. */
export interface Gpt2CallOutput {
  /** `ln_f` of the last block's output `(batch, n, n_embd)`. */
  readonly lastHiddenState: tf.Tensor3D;
  /** The embeddings, then each block's output, the last one after `ln_f` (as transformers), when asked. */
  readonly hiddenStates?: tf.Tensor3D[];
  /** Each layer's attention weights `(batch, heads, n, past + n)`, when asked. */
  readonly attentions?: tf.Tensor4D[];
  /** Each layer's keys and values of every position so far, when `useCache`. */
  readonly presentKeyValues?: AttentionCache[];
}

/** Options of {@link Gpt2Backbone.call}. */
export interface Gpt2CallOptions {
  readonly training?: boolean;
  readonly outputAttentions?: boolean;
  readonly outputHiddenStates?: boolean;
  /** Return the keys and values for the next step. Default false. */
  readonly useCache?: boolean;
}

/**
 * The GPT-2 decoder (Radford et al. 2019): `x = wte[ids] + wpe[positions]`, then `n_layer`
 * pre-LayerNorm blocks `x += c_proj(attn(ln_1(x)))`, `x += mlp(ln_2(x))` with causal multi-head
 * self-attention, then `ln_f`. The weights keep GPT-2's own layout: Conv1D weights `(in, out)`
 * multiply untransposed, `c_attn` is one `(n_embd, 3·n_embd)` variable split into query, key and
 * value at each call, so every variable is exactly one HF tensor (training, saving and the HF
 * names need no repacking). Attention runs through {@link scaledDotProductAttention} (its fused
 * kernel where registered, the reference path when weights are asked for).
 *
 * With `pastKeyValues` only the new positions are computed against the cached keys and values
 * (the key/value cache of generation); the full call over the whole prefix is its reference, and
 * the two are tested equal at every step.
 *
 * @example
 * ```ts
 * const step = backbone.call({ inputIds: prompt }, { useCache: true });
 * const next = backbone.call({ inputIds: token, pastKeyValues: step.presentKeyValues }, { useCache: true });
 * ```
 */
export class Gpt2Backbone {
  readonly wte: tf.Variable;
  private readonly wpe: tf.Variable;
  private readonly blocks: Gpt2BlockVariables[] = [];
  private readonly lnF: { gamma: tf.Variable; beta: tf.Variable };
  private readonly activation: (x: tf.Tensor) => tf.Tensor;

  constructor(
    readonly config: HfGpt2Config,
    parameters: HfParameters,
    prefix: string,
  ) {
    const { n_embd: h, vocab_size: vocab, n_positions: positions, initializer_range: std } = config;
    const inner = gpt2InnerSize(config);
    this.activation = hiddenActivation(config.activation_function);
    const name = (suffix: string) => (prefix ? `${prefix}.${suffix}` : suffix);
    const create = (suffix: string, shape: number[], init: 'normal' | 'zeros' | 'ones') => parameters.create(name(suffix), shape, shape, 'copy', init, std);
    const norm = (suffix: string) => ({ gamma: create(`${suffix}.weight`, [h], 'ones'), beta: create(`${suffix}.bias`, [h], 'zeros') });
    const conv1d = (suffix: string, inputs: number, outputs: number) => ({ weight: create(`${suffix}.weight`, [inputs, outputs], 'normal'), bias: create(`${suffix}.bias`, [outputs], 'zeros') });
    this.wte = create('wte.weight', [vocab, h], 'normal');
    this.wpe = create('wpe.weight', [positions, h], 'normal');
    for (let i = 0; i < config.n_layer; i += 1) {
      const layer = `h.${i}`;
      this.blocks.push({
        ln1: norm(`${layer}.ln_1`),
        cAttn: conv1d(`${layer}.attn.c_attn`, h, 3 * h),
        cProj: conv1d(`${layer}.attn.c_proj`, h, h),
        ln2: norm(`${layer}.ln_2`),
        cFc: conv1d(`${layer}.mlp.c_fc`, h, inner),
        mlpProj: conv1d(`${layer}.mlp.c_proj`, inner, h),
      });
    }
    this.lnF = norm('ln_f');
  }

  /** Checks ids, mask, positions and cache against the config; errors name the value. */
  validate(inputs: Gpt2CallInputs, where: string): void {
    const ids = inputs.inputIds;
    if (!(ids instanceof tf.Tensor) || ids.rank !== 2) {
      throw new Error(`${where}: input_ids must be a (batch, tokens) tf.Tensor2D; got ${ids instanceof tf.Tensor ? `shape [${ids.shape.join(', ')}]` : typeof ids}`);
    }
    const [batch, n] = ids.shape;
    const past = inputs.pastKeyValues?.[0]?.key.shape[2] ?? 0;
    const { n_positions: positions, vocab_size: vocab } = this.config;
    if (past + n > positions) {
      throw new RangeError(`${where}: ${past + n} tokens${past ? ` (${past} cached + ${n} new)` : ''} exceed n_positions ${positions} of config.json (GPT-2 has no positions beyond it; shorten the prompt or maxNewTokens)`);
    }
    // WebGPU cannot read a tensor synchronously: there the ids are checked by the generation
    // session and the CLI (which hold them as numbers), not by forward.
    if (tf.getBackend() === 'webgpu') return this.validateShapes(inputs, where, batch, past, n);
    const values = ids.dataSync();
    const bad = values.findIndex((id) => !Number.isInteger(id) || id < 0 || id >= vocab);
    if (bad >= 0) throw new RangeError(`${where}: input_ids[${Math.floor(bad / n)}][${bad % n}] is ${values[bad]}, outside the vocabulary [0, ${vocab}) of config.json vocab_size`);
    this.validateShapes(inputs, where, batch, past, n);
  }

  private validateShapes(inputs: Gpt2CallInputs, where: string, batch: number, past: number, n: number): void {
    const ids = inputs.inputIds;
    const mask = inputs.attentionMask;
    if (mask !== undefined && (!(mask instanceof tf.Tensor) || mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== past + n)) {
      throw new Error(`${where}: attention_mask must have shape [${batch}, ${past + n}] (every position so far); got ${mask instanceof tf.Tensor ? `[${mask.shape.join(', ')}]` : typeof mask}`);
    }
    const positionIds = inputs.positionIds;
    if (positionIds !== undefined && (!(positionIds instanceof tf.Tensor) || positionIds.shape.join() !== ids.shape.join())) {
      throw new Error(`${where}: position_ids must have the shape of input_ids [${ids.shape.join(', ')}]; got ${positionIds instanceof tf.Tensor ? `[${positionIds.shape.join(', ')}]` : typeof positionIds}`);
    }
    const cache = inputs.pastKeyValues;
    if (cache !== undefined && cache.length !== this.blocks.length) throw new Error(`${where}: pastKeyValues must hold ${this.blocks.length} layers; got ${cache.length}`);
  }

  /** Runs the decoder on the new positions (see the class). Call {@link Gpt2Backbone.validate} first. */
  call(inputs: Gpt2CallInputs, options: Gpt2CallOptions = {}): Gpt2CallOutput {
    const training = Boolean(options.training);
    const { n_embd: h, n_head: heads, embd_pdrop, attn_pdrop, resid_pdrop, layer_norm_epsilon: eps, scale_attn_weights } = this.config;
    const headDim = h / heads;
    const drop = <T extends tf.Tensor>(t: T, rate: number): T => (training && rate > 0 ? (tf.dropout(t, rate) as T) : t);
    return tf.tidy(() => {
      const ids = (inputs.inputIds.dtype === 'int32' ? inputs.inputIds : inputs.inputIds.toInt()) as tf.Tensor2D; // (batch, n)
      const [batch, n] = ids.shape;
      const pastKeyValues = inputs.pastKeyValues;
      const past = pastKeyValues?.[0]?.key.shape[2] ?? 0;
      const positionIds = inputs.positionIds ? inputs.positionIds.toInt() : tf.range(past, past + n, 1, 'int32').expandDims(0); // (batch|1, n)
      let x = tf.add(embeddingLookup(this.wte, ids, null), embeddingLookup(this.wpe, positionIds, null)) as tf.Tensor3D; // (batch, n, h)
      x = drop(x, embd_pdrop);
      // (batch, 1, n, past + n): causal over the offset positions, AND the padding mask of every key.
      const keys = tf.range(0, past + n, 1, 'int32').reshape([1, past + n]);
      const queries = tf.range(past, past + n, 1, 'int32').reshape([n, 1]);
      let mask: tf.Tensor = tf.lessEqual(keys, queries).reshape([1, 1, n, past + n]);
      if (inputs.attentionMask) mask = tf.logicalAnd(mask, tf.notEqual(inputs.attentionMask, 0).reshape([batch, 1, 1, past + n]));
      const splitHeads = (t: tf.Tensor) => tf.transpose(t.reshape([batch, n, heads, headDim]), [0, 2, 1, 3]) as tf.Tensor4D; // (batch, heads, n, headDim)
      const hiddenStates: tf.Tensor3D[] = [];
      const attentions: tf.Tensor4D[] = [];
      const presents: AttentionCache[] = [];
      for (const [i, block] of this.blocks.entries()) {
        hiddenStates.push(x);
        const normed = layerNormalization(x, block.ln1.gamma, block.ln1.beta, eps); // (batch, n, h)
        const qkv = conv1d(normed, block.cAttn.weight, block.cAttn.bias); // (batch, n, 3h)
        const [q, k, v] = tf.split(qkv, 3, 2).map(splitHeads) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
        const cached = pastKeyValues?.[i];
        const key = cached ? (tf.concat([cached.key, k], 2) as tf.Tensor4D) : k; // (batch, heads, past + n, headDim)
        const value = cached ? (tf.concat([cached.value, v], 2) as tf.Tensor4D) : v;
        if (options.useCache) presents.push({ key, value });
        const attention = { mask: mask as tf.Tensor4D, dropout: attn_pdrop, training, scale: scale_attn_weights ? 1 / Math.sqrt(headDim) : 1 };
        let context: tf.Tensor;
        if (options.outputAttentions) {
          const [out, weights] = scaledDotProductAttention(q, key, value, { ...attention, returnWeights: true }) as [tf.Tensor, tf.Tensor4D];
          context = out;
          attentions.push(weights); // (batch, heads, n, past + n)
        } else {
          context = scaledDotProductAttention(q, key, value, attention) as tf.Tensor;
        }
        const merged = tf.transpose(context, [0, 2, 1, 3]).reshape([batch, n, h]); // (batch, n, h)
        x = tf.add(x, drop(conv1d(merged, block.cProj.weight, block.cProj.bias), resid_pdrop)) as tf.Tensor3D;
        const fed = layerNormalization(x, block.ln2.gamma, block.ln2.beta, eps);
        const mlp = conv1d(this.activation(conv1d(fed, block.cFc.weight, block.cFc.bias)), block.mlpProj.weight, block.mlpProj.bias); // (batch, n, h)
        x = tf.add(x, drop(mlp, resid_pdrop)) as tf.Tensor3D;
      }
      x = layerNormalization(x, this.lnF.gamma, this.lnF.beta, eps) as tf.Tensor3D;
      hiddenStates.push(x);
      return {
        lastHiddenState: x,
        ...(options.outputHiddenStates ? { hiddenStates } : {}),
        ...(options.outputAttentions ? { attentions } : {}),
        ...(options.useCache ? { presentKeyValues: presents } : {}),
      } as unknown as tf.TensorContainer;
    }) as unknown as Gpt2CallOutput;
  }

  /** Tied LM head: `h · wteᵀ` `(batch, n, n_embd)` → `(batch, n, vocab_size)`. */
  logits(hidden: tf.Tensor3D): tf.Tensor3D {
    return tf.tidy(() => {
      const [batch, n, h] = hidden.shape;
      return tf.matMul(hidden.reshape([batch * n, h]), this.wte, false, true).reshape([batch, n, this.config.vocab_size]) as tf.Tensor3D;
    });
  }
}

/** transformers' Conv1D: `x · weight + bias` with `weight (in, out)` as stored, over the last axis. */
function conv1d(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor): tf.Tensor {
  return denseLastAxis(x, weight as tf.Tensor2D, bias as tf.Tensor1D);
}
