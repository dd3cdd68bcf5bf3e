// Trains a WordPiece vocabulary with @heed/tokenizers on nlp-corpus English sentences (not the UCI
// sentiment evaluation data) and writes, into OUT_DIR:
//   tokenizer.json, tokenizer_config.json, vocab.txt  (Hugging Face BERT tokenizer files)
//   corpus.jsonl                                      (one line per sentence: its token ids, [CLS] … [SEP])
// Usage: node train_tokenizer.mjs OUT_DIR [--vocab-size 8000] [--sentences 50000]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const { BertNormalizer, BertPreTokenizer, BertProcessing, Tokenizer, WordPieceDecoder, WordPieceTrainer } = await import('@heed/tokenizers');

const args = process.argv.slice(2);
const outDir = args[0];
if (!outDir || outDir.startsWith('--')) throw new Error('train_tokenizer.mjs: expected OUT_DIR as the first argument');
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`train_tokenizer.mjs: --${name} must be a positive integer, got ${String(args[at + 1]).slice(0, 40)}`);
  return value;
};
const vocabSize = option('vocab-size', 8000);
const maxSentences = option('sentences', 50000);

const corpusRoot = join(here, '../../../tokenizers/node_modules/nlp-corpus');
const sentences = [];
for (let doc = 0; doc < 100 && sentences.length < maxSentences; doc++) {
  let texts;
  try {
    texts = JSON.parse(readFileSync(join(corpusRoot, 'builds', `doc-${doc}.json`), 'utf8'));
  } catch {
    break;
  }
  for (const text of texts) {
    if (sentences.length >= maxSentences) break;
    if (typeof text === 'string' && text.trim().length > 0) sentences.push(text);
  }
}

const special = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const normalizer = new BertNormalizer({ lowercase: true });
const preTokenizer = new BertPreTokenizer();
const model = new WordPieceTrainer({ vocabSize, specialTokens: special }).train(sentences, { normalizer, preTokenizer });
const vocab = Object.fromEntries(model.getVocab());
const tokenizer = new Tokenizer({
  model,
  normalizer,
  preTokenizer,
  postProcessor: new BertProcessing({ cls: ['[CLS]', vocab['[CLS]']], sep: ['[SEP]', vocab['[SEP]']] }),
  decoder: new WordPieceDecoder(),
  addedTokens: special.map((content) => ({ id: vocab[content], content, special: true, normalized: false })),
});

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'tokenizer.json'), JSON.stringify(tokenizer.toJSON()));
writeFileSync(
  join(outDir, 'tokenizer_config.json'),
  JSON.stringify({ tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: 128, cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]', mask_token: '[MASK]' }, null, 2),
);
const byId = Object.entries(vocab).sort((a, b) => a[1] - b[1]).map(([token]) => token);
writeFileSync(join(outDir, 'vocab.txt'), `${byId.join('\n')}\n`);
const lines = sentences.map((text) => JSON.stringify(tokenizer.encode(text).ids));
writeFileSync(join(outDir, 'corpus.jsonl'), `${lines.join('\n')}\n`);
process.stdout.write(`${JSON.stringify({ sentences: sentences.length, vocab_size: byId.length, tokens: lines.reduce((n, l) => n + JSON.parse(l).length, 0) })}\n`);
