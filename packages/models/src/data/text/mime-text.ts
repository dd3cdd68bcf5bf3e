// Decoding helpers for email text: transfer encodings, charsets, RFC 2047 words and HTML.

/** Bytes of a base64 string: lines up to the first non-base64 line or padding (footers appended by mailing lists are ignored). */
export function base64Bytes(text: string): Uint8Array {
  const lines: string[] = [];
  for (const line of text.trim().split(/\r?\n/)) {
    if (!/^[A-Za-z0-9+/]*=*\s*$/.test(line)) break;
    lines.push(line);
    if (line.includes('=')) break;
  }
  const clean = lines.join('').replace(/[^A-Za-z0-9+/]/g, '');
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of clean) {
    buffer = (buffer << 6) | 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.indexOf(char);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return Uint8Array.from(bytes);
}

/** Bytes of a quoted-printable string; `underscores` for RFC 2047 "Q" words. */
export function quotedPrintableBytes(text: string, underscores = false): Uint8Array {
  const source = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let index = 0; index < source.length; index++) {
    const char = source[index]!;
    const hex = source.slice(index + 1, index + 3);
    if (char === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      index += 2;
    } else if (underscores && char === '_') bytes.push(0x20);
    else bytes.push(...latin1Or(char));
  }
  return Uint8Array.from(bytes);
}

function latin1Or(char: string): number[] {
  const code = char.charCodeAt(0);
  return code < 256 ? [code] : [...new TextEncoder().encode(char)];
}

/** Decodes bytes in `charset`, falling back to windows-1252 for unknown or missing charsets. */
export function decodeCharset(bytes: Uint8Array, charset: string | undefined): string {
  const label = (charset ?? '').trim().replace(/^["']|["']$/g, '').toLowerCase();
  for (const candidate of [label, 'windows-1252']) {
    if (candidate === '' || candidate === 'us-ascii' || candidate === 'ascii') continue;
    try {
      return new TextDecoder(candidate).decode(bytes);
    } catch {
      // Unknown charset label: try the next.
    }
  }
  return new TextDecoder('windows-1252').decode(bytes);
}

/** Decodes RFC 2047 encoded words (`=?utf-8?B?…?=`, `=?iso-8859-1?Q?…?=`) in a header value. */
export function decodeEncodedWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset: string, encoding: string, data: string) =>
      decodeCharset(encoding.toUpperCase() === 'B' ? base64Bytes(data) : quotedPrintableBytes(data, true), charset.split('*')[0]),
    );
}

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", copy: '©', reg: '®' };

/** Visible text of an HTML fragment: scripts/styles/comments dropped, block tags as newlines, entities decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style|head)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<(br|p|div|tr|li|h[1-6]|table|blockquote)\b[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
      }
      return ENTITIES[name.toLowerCase()] ?? entity;
    });
}

/** Collapses runs of spaces/tabs, trims lines, and keeps at most one blank line in a row. */
export function tidyText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
