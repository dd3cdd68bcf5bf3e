import { BILSTM_ATTENTION_PRESETS } from '../bilstm-attention/presets';
import type { Seq2Seq } from '../seq2seq/seq2seq';
import type { HfTextClassifier } from './hf-text-classifier';
import type { TextClassifier } from '../text-classifier/text-classifier';
import { TEXT_TRANSFORMER_PRESETS } from '../text-transformer/presets';
import { VIT_PRESETS } from '../vit/presets';
import type { VisionTransformer } from '../vit/vit-image-classifier';
import { HEED_CONFIG_FILE, HEED_WEIGHTS_FILE } from './heed-format';
import { modelFamily } from './model-families';

/**
 * The model class behind each shipped weights name.
 *
 * @example
 * ```ts
 * const vit: PretrainedModels['digits'] = await loadPretrained('digits'); // VisionTransformer
 * ```
 */
export interface PretrainedModels {
  /** CMUdict grapheme-to-phoneme Seq2Seq. */
  g2p: Seq2Seq;
  /** ViT on MNIST (28×28×1, classes 0–9). */
  mnist: VisionTransformer;
  /** ViT on scikit-learn's 8×8 digits (8×8×1, pixels in [0, 1], classes 0–9). */
  digits: VisionTransformer;
  /** Sentiment classifier (the best of BiLSTM+attention and Transformer on the UCI sentences). */
  sentiment: TextClassifier;
  /** Transformer sentiment classifier (per-layer, per-head attention maps). */
  'sentiment-transformer': TextClassifier;
  /** SpamAssassin ham/spam classifier. */
  spam: TextClassifier;
  /** UCI sentiment: a small BERT MLM-pretrained by PyTorch, fine-tuned by heed (Hugging Face layout). */
  'sentiment-bert': HfTextClassifier;
  /** The same BERT fine-tuned on Amazon+Yelp sentences, scored on IMDb's (cross-domain). */
  'sentiment-cross-bert': HfTextClassifier;
}

/**
 * A name of shipped weights (`packages/models/weights/<name>/`).
 *
 * @example
 * ```ts
 * const name: PretrainedName = 'spam';
 * ```
 */
export type PretrainedName = keyof PretrainedModels;

/** The family (a key of the {@link modelFamily} registry: `seq2seq`, `vit`, `text`, …) that loads a shipped model. */
export type PretrainedKind = string;

/**
 * What each shipped model is.
 *
 * @example
 * ```ts
 * PRETRAINED_MODELS.digits.kind; // 'vit'
 * ```
 */
export interface PretrainedInfo {
  kind: PretrainedKind;
  /** The task and data, in words. */
  task: string;
}

/** The family of shipped models in Hugging Face layout. */
const HF_TEXT_KIND = 'hf-text';

function fromPresets<Name extends string>(presets: Readonly<Record<Name, { family: string; task: string }>>): Record<Name, PretrainedInfo> {
  return Object.fromEntries(Object.entries<{ family: string; task: string }>(presets).map(([name, preset]) => [name, { kind: preset.family, task: preset.task }])) as Record<Name, PretrainedInfo>;
}

/**
 * Every shipped model, by name, from the families' presets (`vit/presets.ts`, …). The files of each are {@link PRETRAINED_FILES} in
 * `packages/models/weights/<name>/` (also in the published package, under `weights/`).
 *
 * @example
 * ```ts
 * for (const name of PRETRAINED_NAMES) console.log(name, PRETRAINED_MODELS[name].task);
 * ```
 */
export const PRETRAINED_MODELS: Readonly<Record<PretrainedName, PretrainedInfo>> = Object.freeze({
  g2p: { kind: 'seq2seq', task: 'grapheme-to-phoneme on CMUdict (Seq2Seq with attention)' },
  ...fromPresets(VIT_PRESETS),
  ...fromPresets(BILSTM_ATTENTION_PRESETS),
  ...fromPresets(TEXT_TRANSFORMER_PRESETS),
  'sentiment-bert': { kind: HF_TEXT_KIND, task: 'UCI sentiment sentences, negative/positive (BERT pretrained by PyTorch on nlp-corpus, fine-tuned by heed)' },
  'sentiment-cross-bert': { kind: HF_TEXT_KIND, task: 'sentiment, trained on Amazon+Yelp sentences, scored on IMDb (BERT pretrained by PyTorch on nlp-corpus, fine-tuned by heed)' },
});

/**
 * The shipped models in Hugging Face layout (`config.json`, `model.safetensors`, `tokenizer.json`,
 * `tokenizer_config.json`, `results.json`): {@link HfTextClassifier}s, loaded by the `hf-text` family.
 * `vocab.txt` (the WordPiece vocabulary, one token a line in id order) is there for PyTorch/transformers'
 * slow `BertTokenizer`; heed reads `tokenizer.json`.
 *
 * @example
 * ```ts
 * PRETRAINED_HF_FILES.tokenizer; // 'tokenizer.json'
 * PRETRAINED_HF_FILES.vocab; // 'vocab.txt'
 * ```
 */
export const PRETRAINED_HF_FILES = Object.freeze({ config: 'config.json', weights: 'model.safetensors', results: 'results.json', tokenizer: 'tokenizer.json', tokenizerConfig: 'tokenizer_config.json', vocab: 'vocab.txt' } as const);

/**
 * The names of {@link PRETRAINED_MODELS}, in a fixed order.
 *
 * @example
 * ```ts
 * PRETRAINED_NAMES.includes('digits'); // true
 * ```
 */
export const PRETRAINED_NAMES: readonly PretrainedName[] = Object.freeze(Object.keys(PRETRAINED_MODELS) as PretrainedName[]);

/**
 * The files of one shipped model, relative to its folder `<weights>/<name>/`: the heed format's
 * `config.json` and `model.safetensors` (what `model.save('file://…')` writes) and `results.json`
 * (metrics, command, date).
 *
 * @example
 * ```ts
 * `${base}/digits/${PRETRAINED_FILES.config}`; // …/digits/config.json
 * ```
 */
export const PRETRAINED_FILES = Object.freeze({ config: HEED_CONFIG_FILE, weights: HEED_WEIGHTS_FILE, results: 'results.json' } as const);

/**
 * Checks a shipped model name, naming the known ones.
 *
 * @example
 * ```ts
 * isPretrainedName('spam'); // true
 * ```
 */
export function isPretrainedName(name: unknown): name is PretrainedName {
  return typeof name === 'string' && Object.hasOwn(PRETRAINED_MODELS, name);
}

/** Throws unless `name` is a shipped model name. */
export function checkPretrainedName(name: unknown, where: string): PretrainedName {
  if (!isPretrainedName(name)) throw new Error(`${where}: unknown model ${JSON.stringify(name)}; known: ${PRETRAINED_NAMES.join(', ')}`);
  return name;
}

/**
 * The URL of one file of a shipped model under `baseUrl` (the folder that holds the `<name>/`
 * folders, e.g. where a web app serves `@heed/models/weights`).
 *
 * @example
 * ```ts
 * pretrainedUrl('/weights', 'digits'); // '/weights/digits/config.json'
 * pretrainedUrl('https://example.org/heed/weights/', 'spam', 'results'); // '…/spam/results.json'
 * ```
 */
export function pretrainedUrl(baseUrl: string, name: PretrainedName, file: keyof typeof PRETRAINED_FILES = 'config'): string {
  const known = checkPretrainedName(name, 'pretrainedUrl');
  return `${baseUrl.replace(/\/+$/, '')}/${known}/${PRETRAINED_FILES[file]}`;
}

/**
 * Loads a shipped model over http(s) (browsers, or Node with `fetch`) from `baseUrl`, as the
 * class of {@link PretrainedModels}. Node code can use `loadPretrained` of `@heed/models/node`,
 * which reads the files of the installed package.
 *
 * @example
 * ```ts
 * const vit = await loadPretrainedUrl('/weights', 'digits');
 * const classes = await vit.classify(images); // images (batch, 8, 8, 1)
 * ```
 */
export async function loadPretrainedUrl<Name extends PretrainedName>(baseUrl: string, name: Name): Promise<PretrainedModels[Name]> {
  const url = pretrainedUrl(baseUrl, name);
  try {
    return (await modelFamily(PRETRAINED_MODELS[name].kind).load(url)) as PretrainedModels[Name];
  } catch (cause) {
    throw new Error(`loadPretrainedUrl(${JSON.stringify(name)}): cannot load ${url}: ${(cause as Error).message}`, { cause });
  }
}
