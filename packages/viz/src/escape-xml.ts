const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Escapes text for XML/HTML text content and attribute values (`& < > " '`).
 *
 * @example
 * ```ts
 * escapeXml('<b>&'); // '&lt;b&gt;&amp;'
 * ```
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}
