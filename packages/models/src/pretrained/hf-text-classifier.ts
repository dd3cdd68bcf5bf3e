import * as tf from '@tensorflow/tfjs';
import { attentionRollout } from '../explain/attention-rollout';
import { fromPretrained } from '../hf/from-pretrained';
import type { HfModel } from '../hf/hf-model';
import type { HfTokenizer } from '../hf/preprocessing/hf-tokenizer';
import { loadHfTokenizer } from '../hf/preprocessing/load-hf-tokenizer';
import type { CheckpointSource } from '../hf/sources/checkpoint-source';
import type { TextExplanation } from '../text-classifier/text-classifier';

/**
 * What an {@link HfTextClassifier} is, in the fields the text pages and commands read from a
 * `TextClassifier`'s config (`labels`, `maxLength`, `depth`, `heads`).
 *
 * @example
 * ```ts
 * const config: HfTextClassifierConfig = { kind: 'hf', architecture: 'BertForSequenceClassification', modelType: 'bert', labels: ['negative', 'positive'], maxLength: 64, depth: 4, heads: 2 };
 * ```
 */
export interface HfTextClassifierConfig {
  readonly kind: 'hf';
  /** The Hugging Face class, e.g. `BertForSequenceClassification`. */
  readonly architecture: string;
  /** config.json's `model_type`. */
  readonly modelType: string;
  /** Class names by id (config.json's `id2label`). */
  readonly labels: readonly string[];
  /** Texts are cut to this many tokens, `[CLS]` and `[SEP]` included (tokenizer_config.json's `model_max_length`, at most 128). */
  readonly maxLength: number;
  /** Encoder layers. */
  readonly depth: number;
  /** Attention heads per layer. */
  readonly heads: number;
}

/** The full self-attention of one text: `(layers, heads, tokens, tokens)` row-major, query rows and key columns. */
export interface HfTextAttentionMaps {
  weights: Float32Array;
  shape: [number, number, number, number];
}

/**
 * A Hugging Face sequence classifier (`BertForSequenceClassification`, RoBERTa, DistilBERT) with
 * its tokenizer, behind the interface of heed's `TextClassifier`: `classify` texts, `explain` one
 * (class probabilities and the attention rollout of `[CLS]` over the tokens). The shipped
 * `sentiment-bert` and `sentiment-cross-bert` are of this kind: a folder in Hugging Face layout
 * (config.json, model.safetensors, tokenizer.json, tokenizer_config.json, vocab.txt), which
 * PyTorch's `from_pretrained` reads too.
 *
 * @example
 * ```ts
 * import { HfTextClassifier } from '@heed/models';
 * import { folderSource } from '@heed/models/node';
 * const classifier = await HfTextClassifier.fromPretrained(folderSource('weights/sentiment-bert'));
 * const { labelName, tokens, weights } = await classifier.explain('The food was great.');
 * classifier.dispose();
 * ```
 */
export class HfTextClassifier {
  readonly config: HfTextClassifierConfig;

  constructor(
    /** The HF model (a `…ForSequenceClassification`). */
    readonly model: HfModel,
    /** Its tokenizer. */
    readonly tokenizer: HfTokenizer,
  ) {
    if (!model.architecture.endsWith('ForSequenceClassification')) {
      throw new Error(`HfTextClassifier: model must be a …ForSequenceClassification; got ${model.architecture}`);
    }
    const config = model.config as unknown as { id2label: Record<number, string>; model_type: string; num_hidden_layers?: number; n_layers?: number; num_attention_heads?: number; n_heads?: number };
    const ids = Object.keys(config.id2label).map(Number).sort((a, b) => a - b);
    this.config = Object.freeze({
      kind: 'hf',
      architecture: model.architecture,
      modelType: config.model_type,
      labels: Object.freeze(ids.map((id) => config.id2label[id]!)),
      maxLength: tokenizer.maxLength,
      depth: config.num_hidden_layers ?? config.n_layers ?? 0,
      heads: config.num_attention_heads ?? config.n_heads ?? 0,
    });
  }

  /**
   * Loads a sequence classifier and its tokenizer from a checkpoint in Hugging Face layout: a
   * {@link CheckpointSource} (`folderSource(dir)` in Node) or a base URL (browsers).
   *
   * @example
   * ```ts
   * const classifier = await HfTextClassifier.fromPretrained('https://example.org/weights/sentiment-bert');
   * ```
   */
  static async fromPretrained(source: CheckpointSource | string, options: { onWarning?: (message: string) => void } = {}): Promise<HfTextClassifier> {
    const tokenizer = await loadHfTokenizer(source);
    const model = await fromPretrained(source, options.onWarning ? { onWarning: options.onWarning } : {});
    try {
      return new HfTextClassifier(model, tokenizer);
    } catch (cause) {
      model.dispose();
      throw cause;
    }
  }

  /** Number of weights (every tensor of the model). */
  countParams(): number {
    return this.model.weights.reduce((sum, weight) => sum + weight.variable.size, 0);
  }

  /**
   * Class probabilities of each text (`(texts, labels)` rows), in batches padded to their longest
   * text; texts are cut to `config.maxLength` tokens.
   *
   * @example
   * ```ts
   * const [[negative, positive]] = await classifier.predictProbabilities(['Great phone!']);
   * ```
   */
  async predictProbabilities(texts: readonly string[], batchSize = 64): Promise<number[][]> {
    if (!Array.isArray(texts) || texts.some((text) => typeof text !== 'string')) throw new TypeError('HfTextClassifier.predictProbabilities: texts must be an array of strings');
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`HfTextClassifier.predictProbabilities: batchSize must be a positive integer; got ${String(batchSize)}`);
    const out: number[][] = [];
    for (let start = 0; start < texts.length; start += batchSize) {
      const batch = this.tokenizer.encode(texts.slice(start, start + batchSize), { maxLength: this.config.maxLength });
      const inputs = this.tokenizer.toTensors(batch);
      const probabilities = tf.tidy(() => tf.softmax(this.model.forward(inputs).logits!));
      tf.dispose(Object.values(inputs));
      out.push(...((await probabilities.array()) as number[][]));
      probabilities.dispose();
    }
    return out;
  }

  /** The most likely class id of each text. */
  async classify(texts: readonly string[], batchSize = 64): Promise<Int32Array> {
    const probabilities = await this.predictProbabilities(texts, batchSize);
    return Int32Array.from(probabilities, (row) => row.indexOf(Math.max(...row)));
  }

  /**
   * Classifies one text and says which tokens the decision rests on: the attention rollout of
   * `[CLS]` through all layers (heads averaged, Abnar & Zuidema 2020), normalized to sum to 1,
   * and each head's `[CLS]` row (see `TextExplanation`).
   *
   * @example
   * ```ts
   * const { labelName, probabilities, tokens, weights, truncated } = await classifier.explain('Not bad at all.');
   * ```
   */
  async explain(text: string): Promise<TextExplanation> {
    if (typeof text !== 'string') throw new TypeError(`HfTextClassifier.explain: text must be a string; got ${typeof text}`);
    const full = this.tokenizer.encode(text, { truncation: false, padding: false });
    const batch = this.tokenizer.encode(text, { maxLength: this.config.maxLength, padding: false });
    const encoding = batch.encodings[0]!;
    const inputs = this.tokenizer.toTensors(batch);
    const output = this.model.forward(inputs, { outputAttentions: true });
    tf.dispose(Object.values(inputs));
    const softmax = tf.tidy(() => tf.softmax(output.logits!).squeeze());
    const stacked = tf.tidy(() => tf.concat(output.attentions ?? [], 0)); // (layers, heads, T, T)
    const probabilities = Array.from(await softmax.data());
    const values = (await stacked.data()) as Float32Array;
    const [layers, heads, tokens] = stacked.shape as [number, number, number, number];
    tf.dispose([softmax, stacked, ...(Object.values(output).flat() as tf.Tensor[])]);
    const rollout = Array.from(attentionRollout(values, [layers, heads, tokens, tokens]).subarray(0, tokens));
    const total = rollout.reduce((sum, value) => sum + value, 0);
    const label = probabilities.indexOf(Math.max(...probabilities));
    return {
      tokens: encoding.tokens,
      offsets: encoding.offsets,
      weights: rollout.map((value) => value / total),
      heads: Array.from({ length: layers }, (_, layer) => Array.from({ length: heads }, (_, head) => Array.from(values.subarray((layer * heads + head) * tokens * tokens, (layer * heads + head) * tokens * tokens + tokens)))),
      label,
      labelName: this.config.labels[label]!,
      probabilities,
      truncated: full.input_ids[0]!.length > this.config.maxLength,
    };
  }

  /**
   * Every layer's and head's self-attention for one text (cut as {@link explain} cuts it).
   *
   * @example
   * ```ts
   * const { weights, shape: [layers, heads, tokens] } = await classifier.attentionMaps('Great phone!');
   * ```
   */
  async attentionMaps(text: string): Promise<HfTextAttentionMaps> {
    const batch = this.tokenizer.encode(text, { maxLength: this.config.maxLength, padding: false });
    const inputs = this.tokenizer.toTensors(batch);
    const output = this.model.forward(inputs, { outputAttentions: true });
    tf.dispose(Object.values(inputs));
    const stacked = tf.tidy(() => tf.concat(output.attentions ?? [], 0));
    tf.dispose(Object.values(output).flat() as tf.Tensor[]);
    const weights = (await stacked.data()) as Float32Array;
    const shape = stacked.shape as [number, number, number, number];
    stacked.dispose();
    return { weights, shape };
  }

  /** Frees the weights. */
  dispose(): void {
    this.model.dispose();
  }
}
