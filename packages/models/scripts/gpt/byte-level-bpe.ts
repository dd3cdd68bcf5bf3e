/**
 * GPT-2's tokenizer, trained from scratch with @heed/tokenizers: byte-level BPE (GPT-2's regex
 * pre-tokenizer, no prefix space, the 256 byte characters always in the vocabulary) with
 * `<|endoftext|>` as id 0, and the four files a Hugging Face GPT-2 folder holds (`tokenizer.json`,
 * `tokenizer_config.json`, and the slow tokenizer's `vocab.json` + `merges.txt`).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BpeTrainer, ByteLevel, ByteLevelDecoder, ByteLevelProcessing, bytesToUnicode, Tokenizer } from '@heed/tokenizers';

/** GPT-2's one special token: document separator, BOS and EOS. */
export const END_OF_TEXT = '<|endoftext|>';

/** Trains a byte-level BPE of `vocabSize` tokens (`<|endoftext|>` 0, the 256 bytes, then merges) on `texts`. */
export function trainByteLevelBpe(texts: readonly string[], vocabSize: number): Tokenizer {
  const preTokenizer = new ByteLevel({ addPrefixSpace: false });
  const trainer = new BpeTrainer({ vocabSize, minFrequency: 2, specialTokens: [END_OF_TEXT], initialAlphabet: bytesToUnicode() });
  return new Tokenizer({
    model: trainer.train(texts, { preTokenizer }),
    preTokenizer,
    postProcessor: new ByteLevelProcessing({ addPrefixSpace: false, trimOffsets: false }),
    decoder: new ByteLevelDecoder({ addPrefixSpace: false }),
    addedTokens: [{ id: 0, content: END_OF_TEXT, special: true, normalized: true }],
  });
}

/** Writes the tokenizer files of a Hugging Face GPT-2 folder; returns their names. */
export async function writeGpt2TokenizerFiles(tokenizer: Tokenizer, dir: string, modelMaxLength: number): Promise<string[]> {
  const json = tokenizer.toJSON() as { model: { vocab: Record<string, number>; merges: (string | [string, string])[] } };
  const merges = json.model.merges.map((merge) => (typeof merge === 'string' ? merge : merge.join(' ')));
  const config = {
    tokenizer_class: 'GPT2Tokenizer',
    model_max_length: modelMaxLength,
    add_prefix_space: false,
    bos_token: END_OF_TEXT,
    eos_token: END_OF_TEXT,
    unk_token: END_OF_TEXT,
    clean_up_tokenization_spaces: false,
  };
  const files: Record<string, string> = {
    'tokenizer.json': `${JSON.stringify(json)}\n`,
    'tokenizer_config.json': `${JSON.stringify(config, null, 2)}\n`,
    'vocab.json': `${JSON.stringify(json.model.vocab)}\n`,
    'merges.txt': `#version: 0.2\n${merges.join('\n')}\n`,
  };
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return Object.keys(files);
}

/** Token ids of each text followed by `<|endoftext|>` (GPT-2's document separator). */
export function encodeDocuments(tokenizer: Tokenizer, texts: readonly string[]): number[][] {
  const end = tokenizer.tokenToId(END_OF_TEXT)!;
  return texts.map((text) => [...tokenizer.encode(text).ids, end]);
}
