import * as tf from '@tensorflow/tfjs';
import { checkPositiveInteger } from '@heed/backends';
import { Tokenizer } from '@heed/tokenizers';
import { BilstmAttentionBackbone } from '../bilstm-attention/bilstm-attention-backbone';
import { attentionRollout } from '../explain/attention-rollout';
import { heedConfigJson, type HeedSavedModel } from '../pretrained/heed-format';
import { isBrowserStorageDestination, isFolderDestination, locateSavedModel, readHeedModel, readHeedModelFromStorage, saveHeedModel, saveHeedModelToStorage } from '../pretrained/heed-model-io';
import { layersDestination } from '../pretrained/layers-destination';
import { layersModelSlots, loadSavedInto, readSlots } from '../pretrained/saved-tensors';
import { TextTransformerBackbone } from '../text-transformer/text-transformer-backbone';
import type { TextBackbone } from './text-backbone';
import { boundedTruncatedEncoding, type ClassifierTokens } from './truncated-encoding';
import { resolveTextClassifierConfig, type ResolvedTextClassifierConfig, type TextClassifierConfig, type TextClassifierKind } from './text-classifier-config';

/**
 * The backbone of each {@link TextClassifierKind}: new layers from a resolved configuration, or
 * the layers of a loaded model.
 *
 * @example
 * ```ts
 * const backbone = TEXT_BACKBONES.transformer(config); // a TextTransformerBackbone
 * ```
 */
export const TEXT_BACKBONES: Readonly<Record<TextClassifierKind, (config: ResolvedTextClassifierConfig, layersOf?: tf.LayersModel) => TextBackbone>> = Object.freeze({
  'bilstm-attention': (config: ResolvedTextClassifierConfig, layersOf?: tf.LayersModel) => new BilstmAttentionBackbone(config, config.maxLength, layersOf),
  transformer: (config: ResolvedTextClassifierConfig, layersOf?: tf.LayersModel) => new TextTransformerBackbone(config, layersOf),
});

const METADATA_KEY = 'heedTextClassifier';

/** The family name of text classifiers in the registry and in a saved `config.json`. */
export const TEXT_FAMILY = 'text';

/**
 * A decision explained per token.
 *
 * @example
 * ```ts
 * const { tokens, weights, labelName } = await classifier.explain('The food was great');
 * ```
 */
export interface TextExplanation {
  /** The tokens the model saw, `[CLS]`/`[SEP]` included, after truncation. */
  tokens: string[];
  /** Character span of each token in the text (`[0, 0]` for special tokens). */
  offsets: Array<[number, number]>;
  /**
   * One weight per token, summing to 1: the attention pooling weights (`bilstm-attention`), or the
   * attention rollout of `[CLS]` over the tokens (`transformer`). Padding never appears.
   */
  weights: number[];
  /** Per layer, per head: `[CLS]`'s attention over the tokens (`transformer` only; empty otherwise). */
  heads: number[][][];
  /** The predicted class id and name, and every class's probability. */
  label: number;
  labelName: string;
  probabilities: number[];
  /** Whether the text was longer than `maxLength` tokens and was cut. */
  truncated: boolean;
}

/**
 * A text classifier that explains its decisions per token, in two kinds (`config.kind`):
 *
 * - `bilstm-attention` ({@link BilstmAttentionBackbone}): token embedding → bidirectional LSTM →
 *   additive attention pooling → softmax; the pooling weights are the explanation.
 * - `transformer` ({@link TextTransformerBackbone}): BERT-style token + learned position embeddings
 *   → pre-norm encoder blocks of @heed/attention with padding masks → final layer norm → `[CLS]` →
 *   softmax; per-head `[CLS]` attention maps, read from the blocks, and their rollout are the
 *   explanation.
 *
 * The task adds dropout and a linear head to the backbone's pooled features ({@link TEXT_BACKBONES}).
 *
 * Texts go through a @heed/tokenizers `Tokenizer` (e.g. {@link trainWordPieceTokenizer} or the
 * bert-base-uncased `tokenizer.json`); `[PAD]` must be id `padId`. Inputs longer than `maxLength`
 * tokens are truncated (`truncation: 'end'` cuts the end, `'middle'` the middle; `[CLS]`/`[SEP]` kept); empty texts are refused. The network is a
 * `tf.LayersModel` (`.model`, ids `(batch, maxLength)` int32 → logits) that @heed/training trains;
 * `save`/`load` keep the configuration and the tokenizer in the model's metadata.
 *
 * @example
 * ```ts
 * const tokenizer = trainWordPieceTokenizer(trainTexts, { vocabSize: 4000 });
 * const classifier = new TextClassifier({ kind: 'bilstm-attention', vocabSize: tokenizer.vocabSize, maxLength: 48, numClasses: 2, labels: ['negative', 'positive'] }, tokenizer);
 * const ids = classifier.encode(['Great phone!']); // (1, 48) int32
 * const why = await classifier.explain('Great phone!'); // why.tokens, why.weights, why.labelName
 * ```
 */
export class TextClassifier {
  readonly config: ResolvedTextClassifierConfig;
  readonly tokenizer: Tokenizer;
  readonly model: tf.LayersModel;
  /** The backbone of `config.kind` ({@link BilstmAttentionBackbone} or {@link TextTransformerBackbone}), sharing its layers with {@link model}. */
  readonly backbone: TextBackbone;

  constructor(config: TextClassifierConfig, tokenizer: Tokenizer, model?: tf.LayersModel) {
    this.config = resolveTextClassifierConfig(config);
    this.tokenizer = tokenizer;
    if (tokenizer.vocabSize > this.config.vocabSize) {
      throw new Error(`TextClassifier: the tokenizer has ${tokenizer.vocabSize} tokens but vocabSize is ${this.config.vocabSize}`);
    }
    this.backbone = TEXT_BACKBONES[this.config.kind](this.config, model);
    this.model = model ?? TextClassifier.buildModel(this.config, this.backbone);
    this.model.setUserDefinedMetadata({ [METADATA_KEY]: { config: this.config, tokenizer: tokenizer.toJSON() } });
  }

  /** The task graph on the backbone: pooled features → dropout → linear head. */
  private static buildModel(config: ResolvedTextClassifierConfig, backbone: TextBackbone): tf.LayersModel {
    let pooled = backbone.pooledOutput; // (batch, width)
    if (config.dropout > 0) pooled = tf.layers.dropout({ rate: config.dropout, name: 'head_dropout' }).apply(pooled) as tf.SymbolicTensor;
    const logits = tf.layers.dense({ units: config.numClasses, name: 'head' }).apply(pooled) as tf.SymbolicTensor; // (batch, numClasses)
    return tf.model({ inputs: backbone.inputs, outputs: logits, name: `text_classifier_${config.kind.replace('-', '_')}` });
  }

  /** The configuration as plain JSON. */
  getConfig(): ResolvedTextClassifierConfig {
    return { ...this.config, labels: [...this.config.labels] };
  }

  /** Number of trainable parameters. */
  countParams(): number {
    return this.model.countParams();
  }

  /**
   * The tokens the model sees for one text: the tokenizer's encoding, cut to `maxLength` as the
   * configuration's `truncation` says (special tokens kept). Empty texts are refused. A long text
   * is not tokenized whole: its ends are, in pieces that grow until they hold enough tokens (the
   * result is the same; a 10 MB text costs what a few thousand characters do).
   */
  tokenize(text: string, row = 0): ClassifierTokens {
    if (typeof text !== 'string' || text.trim() === '') throw new Error(`TextClassifier: text ${row} is empty; give at least one non-space character`);
    // A long text is not tokenized whole: only pieces at its ends, as many tokens as maxLength keeps.
    return boundedTruncatedEncoding(this.tokenizer, text, this.config);
  }

  /** Token ids of each text as a `(count, maxLength)` int32 array, padded with `padId` and truncated (see {@link tokenize}). Empty texts are refused. */
  encodeIds(texts: readonly string[]): { ids: Int32Array; truncated: boolean[] } {
    const { maxLength, padId, vocabSize } = this.config;
    const ids = new Int32Array(texts.length * maxLength).fill(padId);
    const truncated: boolean[] = [];
    texts.forEach((text, row) => {
      const encoding = this.tokenize(text, row);
      truncated.push(encoding.truncated);
      encoding.ids.forEach((id, column) => {
        if (id >= vocabSize) throw new Error(`TextClassifier: token id ${id} of text ${row} is outside vocabSize ${vocabSize}`);
        ids[row * maxLength + column] = id;
      });
    });
    return { ids, truncated };
  }

  /** Token ids of texts as a `(count, maxLength)` int32 tensor (the model's input). */
  encode(texts: readonly string[]): tf.Tensor2D {
    return tf.tensor2d(this.encodeIds(texts).ids, [texts.length, this.config.maxLength], 'int32');
  }

  /** Class probabilities of each text, in batches. */
  async predictProbabilities(texts: readonly string[], batchSize = 128): Promise<number[][]> {
    checkPositiveInteger(batchSize, 'TextClassifier.predictProbabilities: batchSize');
    const out: number[][] = [];
    for (let start = 0; start < texts.length; start += batchSize) {
      const ids = this.encode(texts.slice(start, start + batchSize));
      const probabilities = tf.tidy(() => tf.softmax(this.model.predict(ids) as tf.Tensor));
      out.push(...((await probabilities.array()) as number[][]));
      tf.dispose([ids, probabilities]);
    }
    return out;
  }

  /** The most likely class id of each text. */
  async classify(texts: readonly string[], batchSize = 128): Promise<Int32Array> {
    const probabilities = await this.predictProbabilities(texts, batchSize);
    return Int32Array.from(probabilities, (row) => row.indexOf(Math.max(...row)));
  }

  /** Classifies one text and says which tokens the decision rests on (see {@link TextExplanation}). */
  async explain(text: string): Promise<TextExplanation> {
    const { ids: idValues, truncated } = this.encodeIds([text]);
    const encoding = this.tokenize(text);
    const length = encoding.ids.length;
    const ids = tf.tensor2d(idValues, [1, this.config.maxLength], 'int32');
    const [logits, attention] = tf.tidy(() => [this.model.predict(ids) as tf.Tensor, this.attentionOf(ids)]);
    ids.dispose();
    const softmax = tf.tidy(() => tf.softmax(logits).squeeze());
    const probabilities = Array.from(await softmax.data());
    softmax.dispose();
    const values = (await attention.data()) as Float32Array;
    const shape = attention.shape;
    tf.dispose([logits, attention]);
    const label = probabilities.indexOf(Math.max(...probabilities));
    let weights: number[];
    let heads: number[][][] = [];
    if (this.config.kind === 'bilstm-attention') {
      weights = Array.from(values.subarray(0, length));
    } else {
      const [layers, headCount, time] = shape as [number, number, number, number];
      heads = Array.from({ length: layers }, (_, layer) =>
        Array.from({ length: headCount }, (_, head) => Array.from(values.subarray((layer * headCount + head) * time * time, (layer * headCount + head) * time * time + length))),
      );
      weights = Array.from(attentionRollout(values, [layers, headCount, time, time]).subarray(0, length));
      const total = weights.reduce((sum, value) => sum + value, 0);
      weights = weights.map((value) => value / total);
    }
    return { tokens: encoding.tokens, offsets: encoding.offsets, weights, heads, label, labelName: this.config.labels[label]!, probabilities, truncated: truncated[0]! };
  }

  /** `(1, time)` pooling weights (`bilstm-attention`) or `(layers, heads, time, time)` attention (`transformer`), read from the backbone. */
  private attentionOf(ids: tf.Tensor2D): tf.Tensor {
    return tf.tidy(() => {
      const attention = this.backbone.attention(ids);
      return this.config.kind === 'transformer' ? attention.squeeze([1]) : attention; // (layers, 1, heads, time, time) → (layers, heads, time, time)
    });
  }

  /**
   * The classifier as plain data ({@link HeedSavedModel}): `config.json` (`family: 'text'`, the
   * configuration, the tokenizer as Hugging Face `tokenizer.json`) and the weights by role name
   * (`token_embedding/embeddings`, `bilstm/forward/kernel`, `head/bias`, …).
   *
   * @example
   * ```ts
   * const { config, weights } = await serializeHeedModel(await classifier.toSaved());
   * ```
   */
  async toSaved(): Promise<HeedSavedModel> {
    return { json: heedConfigJson(TEXT_FAMILY, this.getConfig(), { tokenizer: this.tokenizer.toJSON() }), tensors: await readSlots(layersModelSlots(this.model)) };
  }

  /**
   * Builds the classifier a {@link toSaved} describes; weights that are missing, unexpected or of
   * another shape are refused naming the file and the tensor (nothing is half loaded).
   *
   * @example
   * ```ts
   * const classifier = TextClassifier.fromSaved(await readHeedModel('/tmp/spam'));
   * ```
   */
  static fromSaved(saved: HeedSavedModel): TextClassifier {
    const where = 'TextClassifier.load';
    const file = saved.files?.config ?? 'the config';
    if (saved.json.family !== TEXT_FAMILY) throw new Error(`${where}: ${file} holds a ${saved.json.family} model; expected a ${TEXT_FAMILY} model`);
    if (typeof saved.json.tokenizer !== 'object' || saved.json.tokenizer === null) throw new Error(`${where}: ${file} has no tokenizer; a text classifier saves its tokenizer beside its config`);
    const classifier = new TextClassifier(saved.json.config as unknown as TextClassifierConfig, Tokenizer.fromJSON(saved.json.tokenizer));
    return loadSavedInto(classifier, (built) => layersModelSlots(built.model), saved, where);
  }

  /**
   * Saves weights, configuration and tokenizer. A folder (`file://dir` or a plain path, Node)
   * gets the heed format, `config.json` + `model.safetensors`, written atomically (a failed save
   * leaves the previous files intact); browser storage (`indexeddb://`, `localstorage://`) holds the
   * heed format as one tf.io entry; other `tf.io` URLs and handlers get tf.io's model artifacts.
   *
   * @example
   * ```ts
   * await classifier.save('file:///tmp/spam'); // config.json + model.safetensors
   * ```
   */
  async save(destination: string | tf.io.IOHandler): Promise<tf.io.SaveResult> {
    if (isFolderDestination(destination)) return saveHeedModel(await this.toSaved(), destination, 'TextClassifier.save: ');
    if (isBrowserStorageDestination(destination)) return saveHeedModelToStorage(await this.toSaved(), destination, 'TextClassifier.save: ');
    return this.model.save(layersDestination(destination));
  }

  /**
   * Loads a classifier saved by {@link save}: a folder (Node), the http(s) URL of its folder or
   * `config.json`, and every earlier layout (`model.json` + `weights.bin` folders and URLs,
   * `indexeddb://`, a `tf.io.IOHandler`).
   *
   * @example
   * ```ts
   * const spam = await TextClassifier.load('/tmp/spam');
   * ```
   */
  static async load(source: string | tf.io.IOHandler): Promise<TextClassifier> {
    const where = 'TextClassifier.load: ';
    const located = await locateSavedModel(source, where);
    if ('heed' in located) return TextClassifier.fromSaved(await readHeedModel(located.heed, { where }));
    const stored = isBrowserStorageDestination(located.legacy) ? await readHeedModelFromStorage(located.legacy, where) : undefined;
    if (stored) return TextClassifier.fromSaved(stored);
    const model = await tf.loadLayersModel(layersDestination(located.legacy));
    const saved = (model.getUserDefinedMetadata() as Record<string, { config: TextClassifierConfig; tokenizer: unknown }> | undefined)?.[METADATA_KEY];
    if (!saved) {
      model.dispose();
      throw new Error(`TextClassifier.load: the saved model has no ${METADATA_KEY} metadata; was it saved by TextClassifier.save?`);
    }
    try {
      return new TextClassifier(saved.config, Tokenizer.fromJSON(saved.tokenizer), model);
    } catch (cause) {
      model.dispose();
      throw cause;
    }
  }

  /** Frees the weights. */
  dispose(): void {
    this.model.dispose();
  }
}
