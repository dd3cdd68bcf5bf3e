import * as tf from '@tensorflow/tfjs';
import { checkPositiveInteger } from '@heed/backends';
import type { Tokenizer } from '@heed/tokenizers';
import { sequenceLoss } from '@heed/training';
import { beamSearch } from '../samplers/beam-search';
import type { DecoderSession, GeneratedSequence } from '../samplers/decoder-session';
import { greedySearch } from '../samplers/greedy-search';
import { multinomialSample } from '../samplers/multinomial-sample';
import { attentionRow, transposeSteps, type DecodedSequence } from './decoding-session';
import { padSequences } from './pad-sequences';
import { RnnNetwork } from './rnn-network';
import type { HeedSavedModel } from '../pretrained/heed-format';
import { isBrowserStorageDestination, isFolderDestination, locateSavedModel, readHeedModel, readHeedModelFromStorage, saveHeedModel, saveHeedModelToStorage } from '../pretrained/heed-model-io';
import { loadSavedInto } from '../pretrained/saved-tensors';
import { assignWeights, encodeSeq2Seq, readTopology, resolveHandler, seq2seqSavedConfig, seq2seqToSaved } from './seq2seq-io';
import { resolveSeq2SeqConfig, type ResolvedSeq2SeqConfig, type Seq2SeqConfig } from './seq2seq-config';
import type { EncodedSource, Seq2SeqNetwork } from './seq2seq-network';
import { TransformerNetwork } from './transformer-network';
import { WeightRegistry } from './weight-registry';

/**
 * Source and target tokenizers saved and loaded with a model.
 *
 * @example
 * ```ts
 * const { graphemes, phonemes } = g2pVocabularies(train);
const vocabularies: Seq2SeqVocabularies = { source: graphemes, target: phonemes };
 * ```
 */
export interface Seq2SeqVocabularies {
  source: Tokenizer;
  target: Tokenizer;
}

/**
 * The widest beam {@link Seq2Seq.generate} accepts. Each step keeps `batch · beamSize` decoder
 * rows and sorts `2 · beamSize` candidates per hypothesis, so memory and time grow with it
 * (`--beam 100000` ran out of memory); G2P gains nothing past about 10.
 *
 * @example
 * ```ts
 * const beamSize = Math.min(requested, MAX_BEAM_SIZE);
 * ```
 */
export const MAX_BEAM_SIZE = 256;

/**
 * Options of {@link Seq2Seq.generate}.
 *
 * @example
 * ```ts
 * await model.generate(sources, { beamSize: 5, lengthPenalty: 0.6, maxLength: 30 });
 * ```
 */
export interface GenerateOptions {
  /** 1 = greedy search (default); more = beam search, at most {@link MAX_BEAM_SIZE} (256). */
  beamSize?: number;
  /** Beam search length normalization α (`logProb / length^α`). Default 1. */
  lengthPenalty?: number;
  /** Most output tokens (end token included). Default `config.maxTargetLength`. */
  maxLength?: number;
  /**
   * Decode incrementally with the Transformer's key/value cache (cross-attention keys and values
   * projected once, one position per step). false re-runs the decoder over the prefix at every
   * step (the reference path; same tokens). RNN models are incremental either way. Default true.
   */
  useCache?: boolean;
  /** Draw tokens at random ({@link multinomialSample}) instead of greedy search; needs beamSize 1. Default false. */
  doSample?: boolean;
  /** Sampling temperature (with doSample). Default 1. */
  temperature?: number;
  /** Sample among the k most probable tokens (with doSample). Default: all. */
  topK?: number;
  /** Nucleus sampling threshold p in (0, 1] (with doSample). Default 1. */
  topP?: number;
  /** Seed of the sampler (with doSample). Default 0. */
  seed?: number;
}

/**
 * Options of {@link Seq2Seq.decoderSession}.
 *
 * @example
 * ```ts
 * const session = model.decoderSession([[5, 6, 7]], { repeat: 4, useCache: true });
 * ```
 */
export interface Seq2SeqSessionOptions {
  /** Rows per source (the beam size): row r decodes source ⌊r / repeat⌋. Default 1. */
  repeat?: number;
  /** As {@link GenerateOptions.useCache}. Default true. */
  useCache?: boolean;
}

/**
 * Options of {@link Seq2Seq.loss}.
 *
 * @example
 * ```ts
 * model.loss(source, target, { labelSmoothing: 0.1 });
 * ```
 */
export interface Seq2SeqLossOptions {
  /** Dropout on. Default true. */
  training?: boolean;
  /** Label smoothing ε. Default 0. */
  labelSmoothing?: number;
}

/**
 * A sequence-to-sequence model with attention (KerasHub-style task model): an encoder and a
 * decoder network chosen by `config.attention` (BiLSTM/BiGRU + LSTM with Bahdanau, Luong dot /
 * general or local-p attention; or a Transformer encoder-decoder from heed's blocks), a
 * teacher-forced loss for training, batched greedy and beam-search generation that returns
 * tokens, scores and attention alignments, and save/load through `tf.io`.
 *
 * Ids: `padId` pads both sides; targets are `bos … eos`. Sources longer than
 * `config.maxSourceLength` are an error (truncate them yourself if you want).
 *
 * @example
 * ```ts
 * const model = new Seq2Seq({ sourceVocabSize: 32, targetVocabSize: 43, attention: 'bahdanau' });
 * const optimizer = tf.train.adam(1e-3);
 * optimizer.minimize(() => model.loss([[5, 6, 7]], [[2, 9, 10, 3]]));
 * const [result] = await model.generate([[5, 6, 7]], { beamSize: 4 });
 * result.tokens; result.score; result.alignment; // [1][steps][3]
 * ```
 */
export class Seq2Seq {
  readonly config: ResolvedSeq2SeqConfig;
  /** Every weight by stable name. */
  readonly weights: WeightRegistry;
  /** Tokenizers kept with the model (saved and loaded with it), when given. */
  vocabularies: Seq2SeqVocabularies | undefined;
  private readonly network: Seq2SeqNetwork;

  constructor(config: Seq2SeqConfig, vocabularies?: Seq2SeqVocabularies) {
    this.config = resolveSeq2SeqConfig(config);
    this.weights = new WeightRegistry(this.config.seed);
    this.network = this.config.attention === 'transformer' ? new TransformerNetwork(this.config, this.weights) : new RnnNetwork(this.config, this.weights);
    this.vocabularies = vocabularies;
  }

  /** The resolved configuration as plain JSON; `new Seq2Seq(model.getConfig())` rebuilds the architecture. */
  getConfig(): ResolvedSeq2SeqConfig {
    return { ...this.config };
  }

  /** The trainable variables, in a stable order (for optimizers). */
  get trainableVariables(): tf.Variable[] {
    return this.weights.list();
  }

  /** Number of scalar parameters. */
  countParams(): number {
    return this.weights.list().reduce((sum, variable) => sum + variable.size, 0);
  }

  private toSource(source: tf.Tensor2D | readonly (readonly number[])[]): tf.Tensor2D {
    const { padId, sourceVocabSize, maxSourceLength } = this.config;
    if (source instanceof tf.Tensor) {
      if (source.rank !== 2 || source.dtype !== 'int32') {
        throw new Error(`Seq2Seq: source must be an int32 tensor of shape (batch, S); got ${source.dtype} shape [${source.shape}]`);
      }
      if (source.shape[1]! > maxSourceLength) throw new RangeError(`Seq2Seq: source shape [${source.shape}] is longer than maxSourceLength ${maxSourceLength}`);
      return source.clone();
    }
    const tensor = padSequences(source, { padId, vocabSize: sourceVocabSize, name: 'Seq2Seq: source' });
    if (tensor.shape[1] > maxSourceLength) {
      tensor.dispose();
      throw new RangeError(`Seq2Seq: source shape [${tensor.shape}] is longer than maxSourceLength ${maxSourceLength}`);
    }
    return tensor;
  }

  private toTarget(target: tf.Tensor2D | readonly (readonly number[])[]): tf.Tensor2D {
    const { padId, targetVocabSize } = this.config;
    if (target instanceof tf.Tensor) {
      if (target.rank !== 2 || target.dtype !== 'int32' || target.shape[1]! < 2) {
        throw new Error(`Seq2Seq: target must be an int32 tensor of shape (batch, T ≥ 2) holding bos … eos; got ${target.dtype} shape [${target.shape}]`);
      }
      return target.clone();
    }
    const tensor = padSequences(target, { padId, vocabSize: targetVocabSize, name: 'Seq2Seq: target' });
    if (tensor.shape[1] < 2) {
      tensor.dispose();
      throw new RangeError(`Seq2Seq: target shape [${tensor.shape}] must hold at least bos and eos (T ≥ 2)`);
    }
    return tensor;
  }

  /**
   * Teacher-forced forward pass: `source (batch, S)` and `target (batch, T)` (`bos … eos`, padded)
   * → logits `(batch, T − 1, V)` predicting `target[:, 1:]` and attention `(batch, A, T − 1, S)`.
   */
  forward(source: tf.Tensor2D | readonly (readonly number[])[], target: tf.Tensor2D | readonly (readonly number[])[], training = false): { logits: tf.Tensor3D; attention: tf.Tensor4D } {
    const { logits, attention } = this.teacherForced(source, target, training, true);
    return { logits, attention: attention! };
  }

  /** {@link forward}, with the attention maps only when asked (the loss does not ask, so the Transformer's blocks keep the fused kernel). */
  private teacherForced(source: tf.Tensor2D | readonly (readonly number[])[], target: tf.Tensor2D | readonly (readonly number[])[], training: boolean, returnAttention: boolean): { logits: tf.Tensor3D; attention?: tf.Tensor4D } {
    const sourceTensor = this.toSource(source);
    const targetTensor = this.toTarget(target);
    if (sourceTensor.shape[0] !== targetTensor.shape[0]) {
      const message = `Seq2Seq: source [${sourceTensor.shape}] and target [${targetTensor.shape}] differ in batch size`;
      tf.dispose([sourceTensor, targetTensor]);
      throw new Error(message);
    }
    const result = tf.tidy(() => {
      const [batch, time] = targetTensor.shape;
      const decoderInput = targetTensor.slice([0, 0], [batch, time - 1]) as tf.Tensor2D; // (batch, T − 1)
      return this.network.decode(this.network.encode(sourceTensor, training), decoderInput, training, returnAttention);
    });
    tf.dispose([sourceTensor, targetTensor]);
    return result;
  }

  /**
   * Teacher-forced training loss: mean cross-entropy of the next target token over non-padding
   * positions. Use inside `optimizer.minimize(() => model.loss(source, target))`.
   */
  loss(source: tf.Tensor2D | readonly (readonly number[])[], target: tf.Tensor2D | readonly (readonly number[])[], options: Seq2SeqLossOptions = {}): tf.Scalar {
    const targetTensor = this.toTarget(target);
    try {
      return tf.tidy(() => {
        const [batch, time] = targetTensor.shape;
        const { logits } = this.teacherForced(source, targetTensor, options.training ?? true, false);
        const labels = targetTensor.slice([0, 1], [batch, time - 1]) as tf.Tensor2D; // (batch, T − 1)
        return sequenceLoss(labels, logits, { padId: this.config.padId, labelSmoothing: options.labelSmoothing ?? 0 });
      });
    } finally {
      targetTensor.dispose();
    }
  }

  /**
   * A batched {@link DecoderSession} over sources (id arrays or an int32 `(batch, S)` tensor) for
   * the shared samplers ({@link greedySearch}, {@link beamSearch}, {@link multinomialSample}):
   * each step feeds one target token per row and gives the next-token logits and, as the trace of
   * a row, its attention over the (padded) source `[A][S]`. The caller must `dispose()` it.
   *
   * @example
   * ```ts
   * const session = model.decoderSession([[5, 6, 7]]);
   * try {
   *   const [result] = await greedySearch(session, { startTokens: model.config.bosId, endId: model.config.eosId, maxLength: 20 });
   * } finally {
   *   session.dispose();
   * }
   * ```
   */
  decoderSession(source: tf.Tensor2D | readonly (readonly number[])[], options: Seq2SeqSessionOptions = {}): DecoderSession<number[][]> & { dispose(): void } {
    const repeat = options.repeat ?? 1;
    checkPositiveInteger(repeat, 'Seq2Seq.decoderSession: repeat', MAX_BEAM_SIZE);
    const sourceTensor = this.toSource(source);
    try {
      return this.session(sourceTensor, repeat, options.useCache ?? true);
    } finally {
      sourceTensor.dispose();
    }
  }

  /** A decoding session over `source` with each example repeated `repeat` times (beam rows). */
  private session(source: tf.Tensor2D, repeat: number, useCache: boolean): DecoderSession<number[][]> & { dispose(): void } {
    const network = this.network;
    const [batch, sourceLength] = source.shape;
    const rows = batch * repeat;
    const heads = network.attentionHeads;
    const kept = tf.tidy(() => {
      const index = tf.tensor1d(Array.from({ length: rows }, (_, r) => Math.floor(r / repeat)), 'int32');
      const encoded = network.encode(source, false);
      const tile = <T extends tf.Tensor>(t: T): T => tf.gather(t, index) as T;
      const result: EncodedSource = { memory: tile(encoded.memory), mask: tile(encoded.mask), initialState: encoded.initialState.map(tile) };
      const precomputed = useCache ? network.precompute(result) : [];
      return { tiled: [result.memory, result.mask, ...result.initialState], precomputed };
    });
    const { tiled, precomputed } = kept;
    const encoded: EncodedSource = { memory: tiled[0] as tf.Tensor3D, mask: tiled[1] as tf.Tensor3D, initialState: tiled.slice(2) };
    let state = network.startState(encoded);
    return {
      rows,
      vocabSize: this.config.targetVocabSize,
      async step(tokens) {
        const [logits, attention, next] = tf.tidy(() => {
          // A copy: samplers reuse their token array, and the cpu backend would keep a reference to it in the state.
          const out = network.step(encoded, state, tf.tensor1d(Int32Array.from(tokens), 'int32'), useCache ? precomputed : undefined);
          return [out.logits, out.attention, out.state] as const;
        });
        tf.dispose(state);
        state = next;
        const [values, weights] = await Promise.all([logits.data(), attention.data()]);
        tf.dispose([logits, attention]);
        return { logits: values as Float32Array, trace: (row: number) => attentionRow(weights as Float32Array, row, heads, sourceLength) };
      },
      reorder(order) {
        const next = tf.tidy(() => {
          const index = tf.tensor1d(order as number[], 'int32');
          return state.map((t) => tf.gather(t, index));
        });
        tf.dispose(state);
        state = next;
      },
      dispose() {
        tf.dispose([...state, ...tiled, ...precomputed]);
      },
    };
  }

  /**
   * Generates outputs for a batch of sources (id arrays or an int32 `(batch, S)` tensor): greedy
   * when `beamSize` is 1, batched beam search above, random sampling with `doSample` (temperature,
   * top-k, top-p, seed), all through the shared samplers on a {@link decoderSession}. Each result
   * has the tokens (no bos/eos), the log-probability and score, and the alignment `[A][steps][S]`
   * trimmed to the example's source length (A = 1 for RNN models; layers·heads for the
   * Transformer, index `layer·numHeads + head`).
   */
  async generate(source: tf.Tensor2D | readonly (readonly number[])[], options: GenerateOptions = {}): Promise<DecodedSequence[]> {
    const beamSize = options.beamSize ?? 1;
    const maxLength = options.maxLength ?? this.config.maxTargetLength;
    checkPositiveInteger(beamSize, 'Seq2Seq.generate: beamSize', MAX_BEAM_SIZE);
    if (!Number.isInteger(maxLength) || maxLength < 1) throw new RangeError(`Seq2Seq.generate: maxLength must be a positive integer; got ${maxLength}`);
    if (options.doSample && beamSize !== 1) throw new RangeError(`Seq2Seq.generate: doSample draws one sequence per source, so beamSize must be 1; got ${beamSize}`);
    const sourceTensor = this.toSource(source);
    const lengthTensor = tf.tidy(() => tf.sum(tf.cast(tf.notEqual(sourceTensor, this.config.padId), 'int32'), 1)); // (batch,)
    const lengths = Array.from(await lengthTensor.data());
    lengthTensor.dispose();
    const session = this.session(sourceTensor, beamSize, options.useCache ?? true);
    try {
      const { bosId, eosId } = this.config;
      const shared = { startTokens: bosId, endId: eosId, maxLength };
      let results: GeneratedSequence<number[][]>[];
      if (options.doSample) {
        results = await multinomialSample(session, { ...shared, temperature: options.temperature, topK: options.topK, topP: options.topP, seed: options.seed });
      } else if (beamSize === 1) {
        results = await greedySearch(session, shared);
      } else {
        results = await beamSearch(session, { ...shared, beamSize, lengthPenalty: options.lengthPenalty ?? 1 });
      }
      return results.map(({ traces, ...result }, row) => ({
        ...result,
        alignment: transposeSteps(traces, this.network.attentionHeads).map((head) => head.map((step) => step.slice(0, lengths[row]))),
      }));
    } finally {
      session.dispose();
      sourceTensor.dispose();
    }
  }

  /**
   * The model as plain data ({@link HeedSavedModel}): `config.json` (`family: 'seq2seq'`, the
   * configuration, both vocabularies as Hugging Face tokenizer JSON) and the weights by role name
   * (`encoder/forward/kernel`, `decoder/attention/kernel`, …).
   *
   * @example
   * ```ts
   * const { config, weights } = await serializeHeedModel(await model.toSaved());
   * ```
   */
  async toSaved(): Promise<HeedSavedModel> {
    return seq2seqToSaved(this.getConfig(), this.weights, this.vocabularies);
  }

  /**
   * Builds the model a {@link toSaved} describes; weights that are missing, unexpected or of
   * another shape are refused naming the file and the tensor (nothing is half loaded).
   *
   * @example
   * ```ts
   * const model = Seq2Seq.fromSaved(await readHeedModel('/tmp/g2p'));
   * ```
   */
  static fromSaved(saved: HeedSavedModel): Seq2Seq {
    const { config, vocabularies } = seq2seqSavedConfig(saved);
    return loadSavedInto(new Seq2Seq(config, vocabularies), (model) => model.weights.variables, saved, 'Seq2Seq.load');
  }

  /**
   * Saves config, weights and vocabularies. A folder (`file://dir` or a plain path, Node) gets the
   * heed format, `config.json` + `model.safetensors`, written atomically (a failed save leaves the
   * previous files intact); browser storage (`indexeddb://name`, `localstorage://name`) holds the
   * heed format as one tf.io entry; `tf.io.IOHandler`s (e.g. `tf.io.browserDownloads()`) get tf.io's
   * model artifacts.
   *
   * @example
   * ```ts
   * await model.save('file:///tmp/g2p'); // config.json + model.safetensors
   * await model.save('indexeddb://g2p');
   * ```
   */
  async save(destination: string | tf.io.IOHandler): Promise<tf.io.SaveResult> {
    if (isFolderDestination(destination)) return saveHeedModel(await this.toSaved(), destination, 'Seq2Seq.save: ');
    if (isBrowserStorageDestination(destination)) return saveHeedModelToStorage(await this.toSaved(), destination, 'Seq2Seq.save: ');
    const { handler, where } = resolveHandler(destination, 'save');
    if (!handler.save) throw new Error(`Seq2Seq.save: the handler for ${where} cannot save`);
    return handler.save(await encodeSeq2Seq(this.getConfig(), this.weights, this.vocabularies));
  }

  /**
   * Loads a model saved by {@link Seq2Seq.save}: a folder (Node), the http(s) URL of its folder or
   * `config.json`, and every earlier layout (`model.json` + `weights.bin` with role or positional
   * weight names, `indexeddb://name`, a `tf.io.IOHandler`). Errors name the source and any
   * mismatch (format, missing or unexpected weights, shapes, byte counts).
   *
   * @example
   * ```ts
   * const g2p = await Seq2Seq.load('https://example.org/weights/g2p/');
   * ```
   */
  static async load(source: string | tf.io.IOHandler): Promise<Seq2Seq> {
    const located = await locateSavedModel(source, 'Seq2Seq.load: ');
    if ('heed' in located) return Seq2Seq.fromSaved(await readHeedModel(located.heed, { where: 'Seq2Seq.load: ' }));
    const stored = isBrowserStorageDestination(located.legacy) ? await readHeedModelFromStorage(located.legacy, 'Seq2Seq.load: ') : undefined;
    if (stored) return Seq2Seq.fromSaved(stored);
    const { handler, where } = resolveHandler(located.legacy, 'load');
    if (!handler.load) throw new Error(`Seq2Seq.load: the handler for ${where} cannot load`);
    const artifacts = await handler.load();
    const { config, vocabularies } = readTopology(artifacts, where);
    const model = new Seq2Seq(config, vocabularies);
    try {
      // Names of earlier files: positional layer weights (`decoder/attention/0:kernel`) and the network's own renames.
      assignWeights(artifacts, model.weights, where, new Map([...model.weights.legacyNames(), ...model.network.legacyWeightNames()]));
    } catch (error) {
      model.dispose();
      throw error;
    }
    return model;
  }

  /** Frees every weight. */
  dispose(): void {
    this.network.dispose();
    this.weights.dispose();
  }
}
