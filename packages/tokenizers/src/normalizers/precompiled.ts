import { appendUtf8 } from '../append-utf8';
import { readOptionalString, TokenizerConfigError, type JsonObject } from '../json-fields';
import type { NormalizedText } from '../normalized-text';
import type { Normalizer, NormalizerJSON } from './normalizer';

/**
 * SentencePiece's compiled normalization rules (`precompiled_charsmap`, Kudo & Richardson 2018):
 * a Darts-clone double-array trie over the UTF-8 bytes of every rule's source, then the
 * NUL-terminated replacement strings. At each position the longest matching rule is applied, as
 * `sentencepiece::normalizer::Normalizer::NormalizePrefix` does; text no rule matches is copied.
 * (Hugging Face's Rust `Precompiled` applies rules per grapheme cluster instead, and
 * @huggingface/tokenizers approximates them with NFKC: heed follows sentencepiece.)
 *
 * @example
 * ```ts
 * const nfkc = Precompiled.fromJSON({ type: 'Precompiled', precompiled_charsmap: base64 }, 'normalizer');
 * nfkc.normalize(identityText('ﬁ１')).text; // 'fi1' with nmt_nfkc's rules
 * ```
 */
export class Precompiled implements Normalizer {
  /** The charsmap: u32 trie size, the trie's units, then the replacement strings. */
  readonly charsmap: Uint8Array;
  private readonly units: Uint32Array;
  private readonly strings: Uint8Array;
  private readonly decoded = new Map<number, string>();
  /** Replacement of each ASCII character followed by ASCII (or the end); undefined: none. */
  private readonly ascii: Array<string | undefined> = [];
  /** ASCII characters that start no rule longer than one byte followed by ASCII (the fast path holds). */
  private readonly asciiAlone = new Uint8Array(128);

  constructor(charsmap: Uint8Array, path = 'normalizer.precompiled_charsmap') {
    this.charsmap = charsmap;
    if (charsmap.length === 0) {
      this.units = new Uint32Array(0);
      this.strings = charsmap;
      return;
    }
    if (charsmap.length < 4) throw new TokenizerConfigError(path, `expected a charsmap of at least 4 bytes, got ${charsmap.length}`);
    const view = new DataView(charsmap.buffer, charsmap.byteOffset, charsmap.byteLength);
    const trieSize = view.getUint32(0, true);
    if (trieSize % 4 !== 0 || trieSize < 4 || 4 + trieSize > charsmap.length) {
      throw new TokenizerConfigError(path, `corrupt charsmap: its trie of ${trieSize} bytes does not fit the ${charsmap.length - 4} bytes after the size`);
    }
    this.units = new Uint32Array(trieSize / 4);
    for (let index = 0; index < this.units.length; index++) this.units[index] = view.getUint32(4 + 4 * index, true);
    this.strings = charsmap.subarray(4 + trieSize);
    for (let code = 0; code < 128; code++) {
      const match = this.longestMatch([code], 1);
      this.ascii[code] = match === null ? undefined : this.replacement(match.value, path);
      let alone = 1;
      for (let next = 0; next < 128 && alone; next++) if (this.walks([code, next])) alone = 0;
      this.asciiAlone[code] = alone;
    }
  }

  /** Builds one from its `tokenizer.json` form (`precompiled_charsmap` in base64). */
  static fromJSON(json: JsonObject, path: string): Precompiled {
    const text = readOptionalString(json, 'precompiled_charsmap', path, '');
    if (text === '') return new Precompiled(new Uint8Array(0), `${path}.precompiled_charsmap`); // no rules: text unchanged
    let bytes: Uint8Array;
    try {
      bytes = Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
    } catch {
      throw new TokenizerConfigError(`${path}.precompiled_charsmap`, 'expected base64 text');
    }
    return new Precompiled(bytes, `${path}.precompiled_charsmap`);
  }

  normalize(input: NormalizedText): NormalizedText {
    const { text, starts, ends } = input;
    if (this.units.length === 0 || this.untouched(text)) return input;
    const outStarts: number[] = [];
    const outEnds: number[] = [];
    let out = '';
    const bytes: number[] = [];
    const boundaries: number[] = []; // bytes.length after each code point
    for (let index = 0; index < text.length; ) {
      const code = text.charCodeAt(index);
      if (code < 128 && this.asciiAlone[code] && (index + 1 === text.length || text.charCodeAt(index + 1) < 128)) {
        // ASCII followed by ASCII: only a one-character rule can match
        const replacement = this.ascii[code];
        const piece = replacement ?? text[index]!;
        for (let unit = 0; unit < piece.length; unit++) {
          outStarts.push(starts[index]!);
          outEnds.push(ends[index]!);
        }
        out += piece;
        index++;
        continue;
      }
      // The UTF-8 bytes of the next few code points (rules are short), for the trie walk.
      bytes.length = 0;
      boundaries.length = 0;
      const units: number[] = [];
      for (let cursor = index, count = 0; cursor < text.length && count < 8; count++) {
        const point = text.codePointAt(cursor)!;
        const width = point > 0xffff ? 2 : 1;
        appendUtf8(point >= 0xd800 && point <= 0xdfff ? 0xfffd : point, bytes);
        boundaries.push(bytes.length);
        cursor += width;
        units.push(cursor);
      }
      const match = this.longestMatch(bytes, bytes.length);
      let consumed: number;
      let piece: string;
      const characters = match === null ? -1 : boundaries.indexOf(match.length);
      if (match !== null && characters >= 0) {
        consumed = units[characters]! - index;
        piece = this.replacement(match.value, 'normalizer.precompiled_charsmap');
      } else {
        consumed = units[0]! - index;
        piece = text.slice(index, index + consumed);
      }
      const start = starts[index]!;
      const end = ends[index + consumed - 1]!;
      for (let unit = 0; unit < piece.length; unit++) {
        outStarts.push(start);
        outEnds.push(end);
      }
      out += piece;
      index += consumed;
    }
    return { text: out, starts: outStarts, ends: outEnds };
  }

  toJSON(): NormalizerJSON {
    let binary = '';
    for (let index = 0; index < this.charsmap.length; index += 0x8000) {
      binary += String.fromCharCode(...this.charsmap.subarray(index, index + 0x8000));
    }
    return { type: 'Precompiled', precompiled_charsmap: this.charsmap.length === 0 ? null : btoa(binary) };
  }

  /** Darts-clone `commonPrefixSearch`, keeping the longest key: its byte length and value. */
  private longestMatch(key: ArrayLike<number>, length: number): { length: number; value: number } | null {
    const units = this.units;
    let best: { length: number; value: number } | null = null;
    let node = offset(units[0]!);
    for (let index = 0; index < length; index++) {
      const label = key[index]!;
      node ^= label;
      const unit = units[node];
      if (unit === undefined || (unit & 0x800000ff) !== label) return best;
      node ^= offset(unit);
      if ((unit >>> 8) & 1) best = { length: index + 1, value: units[node]! & 0x7fffffff };
    }
    return best;
  }

  /** Fast path: ASCII text that no rule touches comes back as it is. */
  private untouched(text: string): boolean {
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code >= 128 || !this.asciiAlone[code] || this.ascii[code] !== undefined) return false;
    }
    return true;
  }

  /** Whether some rule's key starts with `key`. */
  private walks(key: readonly number[]): boolean {
    const units = this.units;
    let node = offset(units[0]!);
    for (const label of key) {
      node ^= label;
      const unit = units[node];
      if (unit === undefined || (unit & 0x800000ff) !== label) return false;
      node ^= offset(unit);
    }
    return true;
  }

  private replacement(value: number, path: string): string {
    let text = this.decoded.get(value);
    if (text !== undefined) return text;
    let end = value;
    while (end < this.strings.length && this.strings[end] !== 0) end++;
    if (value >= this.strings.length || end >= this.strings.length) {
      throw new TokenizerConfigError(path, `corrupt charsmap: replacement string at ${value} is outside the ${this.strings.length} bytes of strings`);
    }
    text = new TextDecoder().decode(this.strings.subarray(value, end));
    this.decoded.set(value, text);
    return text;
  }
}

/** Darts-clone unit offset: `(unit >> 10) << ((unit & (1 << 9)) >> 6)`. */
function offset(unit: number): number {
  return ((unit >>> 10) << ((unit & 0x200) >>> 6)) >>> 0;
}
