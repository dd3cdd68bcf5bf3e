/**
 * GPT-2's pre-tokenization regex (Radford et al. 2019, openai/gpt-2 `encoder.py`), with `\s`
 * spelled as the Unicode White_Space property, which is what Oniguruma's `\s` in Hugging Face's
 * Rust tokenizers matches (JavaScript's `\s` also takes U+FEFF and misses U+0085).
 *
 * @example
 * ```ts
 * ' Hello world'.match(GPT2_PATTERN); // [' Hello', ' world']
 * ```
 */
export const GPT2_PATTERN =
  /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\p{White_Space}\p{L}\p{N}]+|\p{White_Space}+(?!\P{White_Space})|\p{White_Space}+/gu;

/**
 * UTF-16 units the regex sees at once. V8's regex engine overflows its stack on a single match of a
 * few million astral characters (8.4M units of emoji throw "Maximum call stack size exceeded"), so
 * long texts are matched window by window.
 */
export const GPT2_WINDOW = 1 << 18;

/** Longest contraction of the pattern ("'ll"); windows are at least {@link MIN_WINDOW} units. */
const CONTRACTION_LENGTH = 3;
const MIN_WINDOW = 8;

const RUN_CLASSES = [/\p{L}+/uy, /\p{N}+/uy, /[^\p{White_Space}\p{L}\p{N}]+/uy, /\p{White_Space}+/uy];

/**
 * The `[start, end)` spans of {@link GPT2_PATTERN}'s matches in `text`, as one `exec` loop over the
 * whole text gives them, but matched in windows of `window` units so that any length works. A match
 * that fills a whole window is a run of one character class and is extended to the run's end.
 *
 * @example
 * ```ts
 * gpt2Spans('Hi you'); // [0, 2, 2, 6]: 'Hi', ' you'
 * gpt2Spans('😀'.repeat(4_200_000)); // [0, 8400000]: no stack overflow
 * ```
 */
export function gpt2Spans(text: string, window = GPT2_WINDOW): number[] {
  window = Math.max(MIN_WINDOW, window);
  const pattern = new RegExp(GPT2_PATTERN.source, 'gu');
  const spans: number[] = [];
  let position = 0;
  while (position < text.length) {
    let windowEnd = Math.min(text.length, position + window);
    if (windowEnd < text.length && isHighSurrogate(text.charCodeAt(windowEnd - 1)) && windowEnd - 1 > position) windowEnd--;
    const atEnd = windowEnd === text.length;
    const slice = position === 0 && atEnd ? text : text.slice(position, windowEnd);
    let next = windowEnd;
    pattern.lastIndex = 0;
    for (let match = pattern.exec(slice); match !== null; match = pattern.exec(slice)) {
      const start = position + match.index;
      const end = start + match[0].length;
      if (!atEnd && end > windowEnd - CONTRACTION_LENGTH) {
        // The match may go on past the window (a run, or a contraction cut by the window end):
        // match it again from its start in the next window, or, if it fills the whole window,
        // extend it to the end of its run.
        if (start > position) next = start;
        else if (end < windowEnd) {
          spans.push(start, end); // a run that ended inside the window
          continue;
        } else {
          next = extendRun(text, start, end, window);
          spans.push(start, next);
        }
        break;
      }
      spans.push(start, end);
    }
    position = next;
  }
  return spans;
}

/** End of the match that fills `[start, end)` and continues past it: the rest of its class's run. */
function extendRun(text: string, start: number, end: number, window: number): number {
  const last = text.codePointAt(isLowSurrogate(text.charCodeAt(end - 1)) && end - 2 >= start ? end - 2 : end - 1)!;
  const lastChar = String.fromCodePoint(last);
  const runClass = RUN_CLASSES.find((candidate) => new RegExp(`^(?:${candidate.source})$`, 'u').test(lastChar))!;
  let runEnd = end;
  for (;;) {
    runClass.lastIndex = runEnd;
    let chunkEnd = Math.min(text.length, runEnd + window);
    if (chunkEnd < text.length && isHighSurrogate(text.charCodeAt(chunkEnd - 1))) chunkEnd--;
    const chunk = text.slice(0, chunkEnd);
    const match = runClass.exec(chunk);
    if (match === null) break;
    runEnd += match[0].length;
    if (runEnd < chunk.length || chunk.length === text.length) break;
  }
  const whitespace = runClass === RUN_CLASSES[3];
  // `\s+(?!\S)` leaves the last space of a run that a non-space follows (if the run has two or more)
  if (whitespace && runEnd < text.length && runEnd - start > 1) return runEnd - 1;
  return runEnd;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
