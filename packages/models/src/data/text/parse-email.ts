import { base64Bytes, decodeCharset, decodeEncodedWords, htmlToText, quotedPrintableBytes, tidyText } from './mime-text';

/**
 * An email reduced to what a text classifier should read.
 *
 * @example
 * ```ts
 * const email: ParsedEmail = { headers: { subject: 'Hi' }, subject: 'Hi', from: 'a@b.c', body: 'Hello' };
 * ```
 */
export interface ParsedEmail {
  /** Top-level headers, lowercase names, first occurrence, unfolded (not decoded). */
  headers: Record<string, string>;
  /** The Subject, RFC 2047 words decoded; '' if none. */
  subject: string;
  /** The From header, RFC 2047 words decoded; '' if none. */
  from: string;
  /** Readable body text: MIME parts walked, transfer encodings and charsets decoded, HTML turned into text, whitespace tidied. */
  body: string;
}

interface Entity {
  headers: Record<string, string>;
  body: string;
}

function parseEntity(text: string): Entity {
  const normalized = text.replace(/\r\n?/g, '\n');
  const end = normalized.indexOf('\n\n');
  const head = end < 0 ? normalized : normalized.slice(0, end);
  const body = end < 0 ? '' : normalized.slice(end + 2);
  const headers: Record<string, string> = {};
  let last: string | undefined; // the header that continuation lines extend; undefined for ignored ones
  for (const line of head.split('\n')) {
    if (/^[ \t]/.test(line)) {
      if (last !== undefined) headers[last] += ` ${line.trim()}`;
      continue;
    }
    const match = /^([!-9;-~]+):[ \t]*(.*)$/.exec(line);
    const name = match?.[1]!.toLowerCase();
    // The mbox "From sender date" line and junk are skipped; so are later duplicates of a header.
    last = name !== undefined && headers[name] === undefined ? name : undefined;
    if (last !== undefined) headers[last] = match![2]!.trim();
  }
  return { headers, body };
}

function contentType(headers: Record<string, string>): { type: string; params: Record<string, string> } {
  const value = headers['content-type'] ?? '';
  const type = (/^\s*([^;\s]+)/.exec(value)?.[1] ?? '').toLowerCase();
  const params: Record<string, string> = {};
  for (const match of value.matchAll(/;\s*([^=\s;]+)\s*=\s*(?:"([^"]*)"|([^;\s]+))/g)) {
    params[match[1]!.toLowerCase()] = match[2] ?? match[3] ?? '';
  }
  return { type, params };
}

function decodedBody(entity: Entity, charset: string | undefined): string {
  const encoding = (entity.headers['content-transfer-encoding'] ?? '').trim().toLowerCase();
  if (encoding === 'base64') return decodeCharset(base64Bytes(entity.body), charset);
  if (encoding === 'quoted-printable') return decodeCharset(quotedPrintableBytes(entity.body), charset);
  return entity.body;
}

function multipartParts(body: string, boundary: string): string[] {
  const parts: string[] = [];
  let current: string[] | undefined;
  for (const line of body.split('\n')) {
    const trimmed = line.trimEnd();
    if (trimmed === `--${boundary}--`) break;
    if (trimmed === `--${boundary}`) {
      if (current) parts.push(current.join('\n'));
      current = [];
    } else current?.push(line);
  }
  if (current) parts.push(current.join('\n'));
  return parts;
}

function entityText(entity: Entity, depth: number): string {
  if (depth > 8) return '';
  const { type, params } = contentType(entity.headers);
  const disposition = (entity.headers['content-disposition'] ?? '').toLowerCase();
  if (disposition.startsWith('attachment')) return '';
  if (type.startsWith('multipart/')) {
    const boundary = params.boundary;
    if (!boundary) return tidyText(entity.body);
    const parts = multipartParts(entity.body, boundary).map(parseEntity);
    if (type === 'multipart/alternative') {
      const byType = (wanted: string) => parts.find((part) => contentType(part.headers).type === wanted);
      const preferred = byType('text/plain') ?? byType('text/html');
      const texts = (preferred ? [preferred, ...parts] : parts).map((part) => entityText(part, depth + 1));
      return texts.find((text) => text !== '') ?? '';
    }
    return parts.map((part) => entityText(part, depth + 1)).filter((text) => text !== '').join('\n\n');
  }
  if (type === 'message/rfc822') {
    const inner = parseEntity(entity.body);
    return [decodeEncodedWords(inner.headers.subject ?? ''), entityText(inner, depth + 1)].filter(Boolean).join('\n\n');
  }
  if (type !== '' && type !== 'text/plain' && type !== 'text/html' && type !== 'text') return '';
  const text = decodedBody(entity, params.charset);
  const html = type === 'text/html' || (type !== 'text/plain' && /<\s*(html|body)\b/i.test(text));
  return tidyText(html ? htmlToText(text) : text);
}

/**
 * Parses a raw RFC 822/MIME email (as in SpamAssassin's corpus) into headers, subject, sender and
 * readable body text. Multipart messages keep their text parts (`text/plain` preferred in
 * `multipart/alternative`), attachments and non-text parts are skipped, base64 and
 * quoted-printable parts are decoded in their charset (windows-1252 when unknown), HTML becomes
 * its visible text (also for untyped bodies that look like HTML). Never throws on malformed mail.
 *
 * @example
 * ```ts
 * parseEmail('Subject: =?utf-8?Q?caf=C3=A9?=\nContent-Type: text/html\n\n<p>Hello&nbsp;<b>world</b></p>');
 * // { subject: 'café', body: 'Hello world', from: '', headers: {...} }
 * ```
 */
export function parseEmail(raw: string): ParsedEmail {
  if (typeof raw !== 'string') throw new TypeError(`parseEmail: raw must be a string; got ${typeof raw}`);
  const entity = parseEntity(raw);
  return {
    headers: entity.headers,
    subject: tidyText(decodeEncodedWords(entity.headers.subject ?? '')),
    from: tidyText(decodeEncodedWords(entity.headers.from ?? '')),
    body: entityText(entity, 0),
  };
}
