import type { Decoder, DecoderJSON } from './decoder';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Hugging Face's `ByteFallback` decoder: runs of `<0xXX>` tokens become the text their bytes
 * spell in UTF-8; a run that is not valid UTF-8 becomes one U+FFFD per byte.
 *
 * @example
 * ```ts
 * new ByteFallbackDecoder().decodeChain(['a', '<0xC3>', '<0xA9>']); // ['a', 'é']
 * ```
 */
export class ByteFallbackDecoder implements Decoder {
  decode(tokens: readonly string[]): string {
    return this.decodeChain(tokens).join('');
  }

  decodeChain(tokens: readonly string[]): string[] {
    const out: string[] = [];
    let bytes: number[] = [];
    const flush = (): void => {
      if (bytes.length === 0) return;
      try {
        out.push(utf8.decode(new Uint8Array(bytes)));
      } catch {
        for (let index = 0; index < bytes.length; index++) out.push('\ufffd');
      }
      bytes = [];
    };
    for (const token of tokens) {
      const byte = token.length === 6 && token.startsWith('<0x') && token.endsWith('>') ? Number.parseInt(token.slice(3, 5), 16) : Number.NaN;
      if (Number.isInteger(byte) && /^[0-9A-Fa-f]{2}$/.test(token.slice(3, 5))) bytes.push(byte);
      else {
        flush();
        out.push(token);
      }
    }
    flush();
    return out;
  }

  toJSON(): DecoderJSON {
    return { type: 'ByteFallback' };
  }
}
