import type { Encoding, Tokenizer } from '@heed/tokenizers';

/** What {@link TextClassifier.tokenize} returns. */
export interface ClassifierTokens {
  ids: number[];
  tokens: string[];
  offsets: Array<[number, number]>;
  truncated: boolean;
}

/** How a classifier cuts a text: `maxLength` tokens, specials included; `'middle'` keeps `headTokens` from the front. */
export interface TruncationSettings {
  maxLength: number;
  truncation: 'end' | 'middle';
  headTokens: number;
}

/**
 * Characters of context a piece's tokens must keep from its cut: a token is used only if it lies
 * at least this far from the cut, so normalizer and pre-tokenizer rules that look at neighbouring
 * characters (and the word the cut falls next to) see what they see in the whole text.
 */
const MARGIN = 256;

/**
 * The tokens a classifier reads from one text: the whole encoding, cut to `maxLength` as
 * `truncation` says (special tokens kept). The reference: it tokenizes the whole text.
 * @internal
 */
export function truncatedEncoding(tokenizer: Tokenizer, text: string, settings: TruncationSettings): ClassifierTokens {
  const { maxLength, truncation, headTokens } = settings;
  const full = tokenizer.encode(text);
  if (full.ids.length <= maxLength) return { ids: full.ids, tokens: full.tokens, offsets: full.offsets, truncated: false };
  if (truncation === 'end') {
    const cut = tokenizer.encode(text, { truncation: true, maxLength });
    return { ids: cut.ids, tokens: cut.tokens, offsets: cut.offsets, truncated: true };
  }
  // 'middle': leading specials, the first headTokens text tokens, the last text tokens, trailing specials.
  const textPositions = full.specialTokensMask.flatMap((special, index) => (special === 0 ? [index] : []));
  const specials = full.ids.length - textPositions.length;
  const head = Math.min(headTokens, maxLength - specials);
  const tail = maxLength - specials - head;
  const kept = new Set([...textPositions.slice(0, head), ...textPositions.slice(textPositions.length - tail)]);
  const keep = full.ids.flatMap((_, index) => (full.specialTokensMask[index] === 1 || kept.has(index) ? [index] : []));
  return { ids: keep.map((index) => full.ids[index]!), tokens: keep.map((index) => full.tokens[index]!), offsets: keep.map((index) => full.offsets[index]!), truncated: true };
}

/** Text tokens of an encoding as positions, with the specials before and after them. */
function split(encoding: Encoding): { text: number[]; leading: number[]; trailing: number[] } {
  const text: number[] = [];
  const leading: number[] = [];
  const trailing: number[] = [];
  encoding.specialTokensMask.forEach((special, index) => (special === 0 ? text : text.length === 0 ? leading : trailing).push(index));
  return { text, leading, trailing };
}

/** The first whitespace at or after `from` (the text's length if none): where a piece may be cut. */
function whitespaceAt(text: string, from: number): number {
  const match = /\s/.exec(text.slice(from, from + 65_536));
  return match ? from + match.index : text.length;
}

/**
 * {@link truncatedEncoding} without tokenizing a long text whole (a 10 MB file took 39 s and
 * 2.6 GB): it encodes a prefix (and, for `'middle'`, a suffix) cut at whitespace, doubling the
 * piece until it holds enough tokens at least {@link MARGIN} characters from the cut, and takes
 * those; a text shorter than a first piece goes to the reference whole. Tested equal to the
 * reference on long texts for the shipped classifiers' tokenizers.
 * @internal
 */
export function boundedTruncatedEncoding(tokenizer: Tokenizer, text: string, settings: TruncationSettings): ClassifierTokens {
  const { maxLength, truncation, headTokens } = settings;
  const first = 32 * maxLength + 4 * MARGIN;
  if (text.length <= 2 * first) return truncatedEncoding(tokenizer, text, settings);
  const probe = split(tokenizer.encode('a'));
  const specials = probe.leading.length + probe.trailing.length;
  const head = truncation === 'end' ? maxLength - specials : Math.min(headTokens, maxLength - specials);
  const tail = maxLength - specials - head;
  // The front: text tokens ending at least MARGIN before the cut.
  let prefix: { encoding: Encoding; text: number[] } | undefined;
  for (let length = first; ; length *= 2) {
    const cut = whitespaceAt(text, length);
    if (cut >= text.length - MARGIN) return truncatedEncoding(tokenizer, text, settings);
    const encoding = tokenizer.encode(text.slice(0, cut));
    const usable = split(encoding).text.filter((index) => encoding.offsets[index]![1] <= cut - MARGIN);
    if (usable.length > head) {
      prefix = { encoding, text: usable.slice(0, head) };
      break;
    }
  }
  const { encoding: front } = prefix;
  const frontParts = split(front);
  const pick = (encoding: Encoding, indices: number[], shift = 0) => ({
    ids: indices.map((index) => encoding.ids[index]!),
    tokens: indices.map((index) => encoding.tokens[index]!),
    offsets: indices.map((index): [number, number] => (encoding.specialTokensMask[index] === 1 ? encoding.offsets[index]! : [encoding.offsets[index]![0] + shift, encoding.offsets[index]![1] + shift])),
  });
  const join = (...parts: Array<ReturnType<typeof pick>>): ClassifierTokens => ({
    ids: parts.flatMap((part) => part.ids),
    tokens: parts.flatMap((part) => part.tokens),
    offsets: parts.flatMap((part) => part.offsets),
    truncated: true, // more than maxLength text tokens exist: the front alone holds more than head
  });
  if (tail === 0) return join(pick(front, frontParts.leading), pick(front, prefix.text), pick(front, frontParts.trailing));
  // The back ('middle'): text tokens starting at least MARGIN after the cut, offsets shifted back.
  const frontEnd = prefix.text.length > 0 ? front.offsets[prefix.text.at(-1)!]![1] : 0;
  for (let length = first; ; length *= 2) {
    const start = Math.max(0, text.length - length);
    const cut = start === 0 ? 0 : whitespaceAt(text, start);
    if (cut <= MARGIN || cut - MARGIN <= frontEnd) return truncatedEncoding(tokenizer, text, settings);
    const encoding = tokenizer.encode(text.slice(cut));
    const parts = split(encoding);
    const usable = parts.text.filter((index) => encoding.offsets[index]![0] >= MARGIN);
    if (usable.length >= tail) return join(pick(front, frontParts.leading), pick(front, prefix.text), pick(encoding, usable.slice(usable.length - tail), cut), pick(encoding, parts.trailing));
  }
}
