import type { HfGpt2Config } from '../hf/config/hf-gpt2-config';
import { HfTokenizer } from '../hf/preprocessing/hf-tokenizer';
import { loadHfTokenizer, TOKENIZER_CONFIG_FILE, TOKENIZER_FILE } from '../hf/preprocessing/load-hf-tokenizer';
import type { CheckpointSource } from '../hf/sources/checkpoint-source';
import { CheckpointSourceError } from '../hf/sources/checkpoint-source';
import { resolveCheckpointSource } from '../hf/sources/resolve-checkpoint-source';

/**
 * The `tokenizer.json` of GPT-2's byte-level BPE built from the slow tokenizer's files
 * (`vocab.json` + `merges.txt`, as GPT2Tokenizer reads them): ByteLevel pre-tokenizer (GPT-2's
 * regex, no prefix space), BPE without an unknown token, ByteLevel decoder, `<|endoftext|>` special.
 *
 * @example
 * ```ts
 * const json = gpt2TokenizerJson(JSON.parse(vocabJson), mergesTxt);
 * Tokenizer.fromJSON(json).encode('Hello world').ids; // [15496, 995] with gpt2's files
 * ```
 */
export function gpt2TokenizerJson(vocab: Readonly<Record<string, number>>, mergesTxt: string, addPrefixSpace = false): Record<string, unknown> {
  const merges = mergesTxt.split(/\r?\n/).filter((line, i) => line.trim() !== '' && !(i === 0 && line.startsWith('#version')));
  const byteLevel = { type: 'ByteLevel', add_prefix_space: addPrefixSpace, trim_offsets: true, use_regex: true };
  const special = Object.entries(vocab).filter(([token]) => token === '<|endoftext|>');
  return {
    version: '1.0', truncation: null, padding: null,
    added_tokens: special.map(([content, id]) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: true, special: true })),
    normalizer: null, pre_tokenizer: byteLevel, post_processor: { ...byteLevel, trim_offsets: false }, decoder: byteLevel,
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, byte_fallback: false, vocab, merges },
  };
}

/**
 * A GPT-2 checkpoint's tokenizer: `tokenizer.json` when present (through {@link loadHfTokenizer}),
 * else `vocab.json` + `merges.txt` (the slow GPT2Tokenizer's files, see {@link gpt2TokenizerJson}),
 * with `tokenizer_config.json` when present. Given the model's config, a tokenizer with more ids than
 * `vocab_size` embeddings is an error naming both sizes.
 *
 * @example
 * ```ts
 * const tokenizer = await loadGpt2Tokenizer(folderSource('gpt2'), model.config);
 * tokenizer.tokenizer.encode('Hello').ids; // [15496]
 * ```
 */
export async function loadGpt2Tokenizer(source: CheckpointSource | string, config?: HfGpt2Config): Promise<HfTokenizer> {
  const checkpoint = resolveCheckpointSource(source);
  let tokenizer: HfTokenizer;
  if (await checkpoint.has(TOKENIZER_FILE)) {
    tokenizer = await loadHfTokenizer(checkpoint);
  } else {
    const [hasVocab, hasMerges] = await Promise.all([checkpoint.has('vocab.json'), checkpoint.has('merges.txt')]);
    if (!hasVocab || !hasMerges) {
      throw new CheckpointSourceError(`${checkpoint.location}/${TOKENIZER_FILE}`, `the checkpoint has no tokenizer: it needs tokenizer.json, or vocab.json and merges.txt (found ${[hasVocab && 'vocab.json', hasMerges && 'merges.txt'].filter(Boolean).join(', ') || 'neither'}); text inputs need one, or give input ids`);
    }
    const [vocabText, merges, tokenizerConfig] = await Promise.all([
      checkpoint.readText('vocab.json'),
      checkpoint.readText('merges.txt'),
      checkpoint.has(TOKENIZER_CONFIG_FILE).then((present) => (present ? checkpoint.readText(TOKENIZER_CONFIG_FILE) : '{}')),
    ]);
    let vocab: Record<string, number>;
    try {
      vocab = JSON.parse(vocabText) as Record<string, number>;
    } catch (error) {
      throw new CheckpointSourceError(`${checkpoint.location}/vocab.json`, `not valid JSON (${(error as Error).message})`);
    }
    const config = JSON.parse(tokenizerConfig) as { add_prefix_space?: boolean };
    tokenizer = HfTokenizer.fromJSON(gpt2TokenizerJson(vocab, merges, Boolean(config.add_prefix_space)), config, `${checkpoint.location}/${TOKENIZER_CONFIG_FILE}`);
  }
  if (config && tokenizer.vocabSize > config.vocab_size) {
    throw new RangeError(`${checkpoint.location}: the tokenizer has ${tokenizer.vocabSize} ids but config.json vocab_size is ${config.vocab_size} (wte has ${config.vocab_size} rows): the tokenizer and the embeddings do not belong together`);
  }
  return tokenizer;
}
