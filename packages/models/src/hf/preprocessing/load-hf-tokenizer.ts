import type { CheckpointSource } from '../sources/checkpoint-source';
import { CheckpointSourceError } from '../sources/checkpoint-source';
import { resolveCheckpointSource } from '../sources/resolve-checkpoint-source';
import { HfTokenizer } from './hf-tokenizer';

/** The tokenizer files of a checkpoint, as transformers names them. */
export const TOKENIZER_FILE = 'tokenizer.json';
export const TOKENIZER_CONFIG_FILE = 'tokenizer_config.json';

/**
 * Loads a checkpoint's tokenizer (`AutoTokenizer.from_pretrained`): `tokenizer.json` through
 * @heed/tokenizers and, when present, `tokenizer_config.json` (`model_max_length`, `pad_token`,
 * `padding_side`). `source` is a {@link CheckpointSource} (in Node `folderSource(dir)`) or a base URL in the Hub's
 * layout. A checkpoint without `tokenizer.json` is an error naming the location and the
 * files it would need.
 *
 * @example
 * ```ts
 * const tokenizer = await loadHfTokenizer('https://huggingface.co/prajjwal1/bert-tiny/resolve/main'); // or folderSource(dir) in Node
 * const { input_ids, attention_mask, token_type_ids } = tokenizer.encode(['Hello, my dog is cute']);
 * ```
 */
export async function loadHfTokenizer(source: CheckpointSource | string): Promise<HfTokenizer> {
  const checkpoint = resolveCheckpointSource(source);
  if (!(await checkpoint.has(TOKENIZER_FILE))) {
    const vocab = (await checkpoint.has('vocab.txt').catch(() => false)) ? ' (it has vocab.txt only: save the tokenizer with a fast tokenizer, tokenizer.save_pretrained, to get tokenizer.json)' : '';
    throw new CheckpointSourceError(`${checkpoint.location}/${TOKENIZER_FILE}`, `the checkpoint has no tokenizer${vocab}; text inputs need one, or give input_ids`);
  }
  const [tokenizerJson, tokenizerConfig] = await Promise.all([
    checkpoint.readText(TOKENIZER_FILE),
    checkpoint.has(TOKENIZER_CONFIG_FILE).then((present) => (present ? checkpoint.readText(TOKENIZER_CONFIG_FILE) : '{}')),
  ]);
  try {
    return HfTokenizer.fromJSON(tokenizerJson, tokenizerConfig, `${checkpoint.location}/${TOKENIZER_CONFIG_FILE}`);
  } catch (error) {
    const message = (error as Error).message;
    if (message.startsWith(checkpoint.location)) throw error;
    throw new CheckpointSourceError(`${checkpoint.location}/${TOKENIZER_FILE}`, message, undefined, { cause: error });
  }
}
