/**
 * GPT-2's reversible byte → unicode map: printable bytes map to themselves, the others to
 * unused code points from U+0100 up, so every byte sequence becomes a visible string that
 * byte-level BPE can merge (Radford et al. 2019, `bytes_to_unicode` in openai/gpt-2).
 *
 * @example
 * ```ts
 * const table = bytesToUnicode();
 * table[32]; // 'Ġ' — the space byte, as in GPT-2 tokens like 'Ġworld'
 * ```
 * @returns an array of 256 single-character strings indexed by byte value.
 */
export function bytesToUnicode(): string[] {
  const printable: number[] = [];
  const ranges: Array<[number, number]> = [
    [0x21, 0x7e], // '!'..'~'
    [0xa1, 0xac], // '¡'..'¬'
    [0xae, 0xff], // '®'..'ÿ'
  ];
  for (const [from, to] of ranges) for (let byte = from; byte <= to; byte++) printable.push(byte);
  const table: string[] = new Array(256);
  let next = 0;
  for (let byte = 0; byte < 256; byte++) {
    table[byte] = printable.includes(byte) ? String.fromCharCode(byte) : String.fromCharCode(256 + next++);
  }
  return table;
}

/**
 * The inverse of {@link bytesToUnicode}: character → byte value.
 *
 * @example
 * ```ts
 * unicodeToBytes().get('Ġ'); // 32
 * ```
 */
export function unicodeToBytes(): Map<string, number> {
  return new Map(bytesToUnicode().map((char, byte) => [char, byte]));
}
