// Writes FOLDER/vocab.txt from FOLDER/tokenizer.json: the WordPiece vocabulary, one token a line in id order
// (line i is token id i), the file PyTorch/transformers' slow `BertTokenizer` reads (heed and the fast
// tokenizer read tokenizer.json). ship_sentiment_bert.mjs calls it for the shipped folders; it touches no
// other file, so it can also add vocab.txt to an already shipped folder without changing its weights.
// Usage: node vocab_txt.mjs FOLDER [FOLDER ...]
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * vocab.txt's text for a parsed tokenizer.json: its WordPiece `model.vocab`, one token a line in id order.
 * Throws, naming the field, unless the model is WordPiece, the ids are exactly 0 … n-1, no token holds a line
 * break, and every added token is in the vocabulary at its own id (slow BertTokenizer reads nothing else).
 */
export function vocabTxt(tokenizer, where = 'tokenizer.json') {
  const model = tokenizer?.model;
  if (model?.type !== 'WordPiece') throw new Error(`vocab_txt.mjs: ${where} model.type must be 'WordPiece'; got ${JSON.stringify(model?.type)}`);
  const entries = Object.entries(model.vocab ?? {});
  const tokens = new Array(entries.length);
  for (const [token, id] of entries) {
    if (!Number.isInteger(id) || id < 0 || id >= entries.length || tokens[id] !== undefined) {
      throw new Error(`vocab_txt.mjs: ${where} model.vocab ids must be 0 … ${entries.length - 1}, each once; got ${JSON.stringify(id)} for ${JSON.stringify(token)}`);
    }
    if (/[\r\n]/.test(token)) throw new Error(`vocab_txt.mjs: ${where} model.vocab token ${JSON.stringify(token)} holds a line break, which vocab.txt cannot store`);
    tokens[id] = token;
  }
  for (const added of tokenizer.added_tokens ?? []) {
    if (tokens[added.id] !== added.content) {
      throw new Error(`vocab_txt.mjs: ${where} added token ${JSON.stringify(added.content)} (id ${added.id}) must be model.vocab's token ${added.id}; got ${JSON.stringify(tokens[added.id])}`);
    }
  }
  return `${tokens.join('\n')}\n`;
}

/** Writes `folder/vocab.txt` from `folder/tokenizer.json`; returns the number of tokens. */
export function writeVocabTxt(folder) {
  const path = join(folder, 'tokenizer.json');
  const text = vocabTxt(JSON.parse(readFileSync(path, 'utf8')), path);
  writeFileSync(join(folder, 'vocab.txt'), text);
  return text.split('\n').length - 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const folders = process.argv.slice(2);
  if (folders.length === 0) throw new Error('vocab_txt.mjs: expected FOLDER (with tokenizer.json) arguments');
  for (const folder of folders) process.stdout.write(`${JSON.stringify({ folder, tokens: writeVocabTxt(folder) })}\n`);
}
