import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { checkPositiveInteger, describeValue, initBackend } from '@heed/backends';
import { MAX_BEAM_SIZE, type Seq2Seq } from '@heed/models';
import { attentionHeatmapSvg } from '@heed/viz';
import { loadG2PModel } from './g2p-model';

export const PREDICT_G2P_USAGE = `heed predict g2p [--model DIR] [--beam K] [--json] [--input FILE] [--svg DIR] <word...>

Pronounces words (letters and apostrophes; case is ignored) with a G2P model: --model DIR (what
heed train g2p --out wrote), or by default the shipped weights of @heed/models (weights/g2p).
Prints each word's ARPAbet phonemes and its attention alignment as a text heatmap (one row per
output phoneme, one column per letter; ' .:-=+*#%@' from 0 to 1), or with --json one array of
{ word, phonemes, score, alignment }. --input FILE adds the words of FILE (separated by whitespace;
blank lines are skipped). --svg DIR writes each alignment as DIR/<n>-<word>.svg. --beam K: beam
search width (default 5; 1 = greedy; at most 256). Words are decoded 256 at a time and printed as
each batch is done, so a long --input runs in bounded memory. A word with a character outside the model's alphabet, an
empty word, or a word longer than the model's maxSourceLength (40 letters for the shipped model)
is an error that names it: nothing is truncated.`;

/** One pronunciation from {@link predictG2P}. */
export interface G2PPrediction {
  word: string;
  /** ARPAbet phonemes, without stress. */
  phonemes: string[];
  /** Length-normalized log-probability of the output (beam search score). */
  score: number;
  /** Attention weights (output steps, letters); the end token's step is the last row. Transformer: mean over the last layer's heads. */
  alignment: number[][];
  /** {@link alignmentHeatmap} of `alignment`. */
  heatmap: string;
}

/**
 * An attention alignment as a text heatmap: one row per output token, one column per input token,
 * darker characters for more weight (` .:-=+*#%@`, from 0 to 1 in tenths).
 *
 * @example
 * ```ts
 * alignmentHeatmap([[0.9, 0.1], [0.2, 0.8]], ['a', 'b'], ['X', 'Y']);
 * // "   X @.\n   Y :%\n     ab"
 * ```
 */
export function alignmentHeatmap(alignment: readonly (readonly number[])[], inputs: readonly string[], outputs: readonly string[]): string {
  const shades = ' .:-=+*#%@';
  const width = Math.max(4, ...outputs.map((o) => o.length));
  const rows = alignment.map((row, t) => `${(outputs[t] ?? '</s>').padStart(width)} ${row.map((w) => shades[Math.min(9, Math.max(0, Math.floor(w * 10)))]).join('')}`);
  return [...rows, `${' '.repeat(width)} ${inputs.join('')}`].join('\n');
}

/**
 * The alignment shown for a decoded word: the only map of an RNN model, the mean over the heads of
 * the last decoder layer of a Transformer (maps are indexed `layer·numHeads + head`).
 *
 * @example
 * ```ts
 * const [result] = await model.generate([ids]);
 * const matrix = g2pAlignment(model, result.alignment); // (steps, letters)
 * ```
 */
export function g2pAlignment(model: Pick<Seq2Seq, 'config'>, maps: readonly (readonly (readonly number[])[])[]): number[][] {
  const heads = model.config.attention === 'transformer' ? model.config.numHeads : 1;
  const last = maps.slice(Math.max(0, maps.length - heads));
  if (last.length === 0) return [];
  return last[0]!.map((row, step) => row.map((_, column) => last.reduce((sum, map) => sum + map[step]![column]!, 0) / last.length));
}

/**
 * Checks words against a model's alphabet and length limit and returns their ids. Errors name the
 * word (and its position), the characters outside the alphabet, or the length and the limit.
 *
 * @example
 * ```ts
 * encodeG2PWords(model, ['paste'], 'heed predict g2p'); // [[…5 ids]]
 * ```
 */
export function encodeG2PWords(model: Seq2Seq, words: readonly string[], command: string): number[][] {
  const vocabularies = model.vocabularies;
  if (!vocabularies) throw new Error(`${command}: the model has no vocabularies`);
  const limit = model.config.maxSourceLength;
  return words.map((word, index) => {
    if (word.length === 0) throw new Error(`${command}: word ${index + 1} is empty; give letters such as "paste"`);
    const letters = [...word];
    if (letters.length > limit) throw new Error(`${command}: ${describeValue(word)} has ${letters.length} letters; the model reads at most ${limit} (maxSourceLength)`);
    const unknown = [...new Set(letters.filter((letter) => vocabularies.source.tokenToId(letter) === undefined))];
    if (unknown.length) {
      throw new Error(`${command}: ${describeValue(word)} has characters outside the model's alphabet: ${unknown.slice(0, 20).join(' ')}${unknown.length > 20 ? ` and ${unknown.length - 20} more` : ''} (expected letters a-z and ')`);
    }
    return vocabularies.source.encode(word).ids;
  });
}

function parsePredictArgs(args: readonly string[]): { words: string[]; flags: Map<string, string>; json: boolean } {
  const words: string[] = [];
  const flags = new Map<string, string>();
  let json = false;
  const known = new Set(['model', 'beam', 'input', 'svg', 'backend']);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--json') json = true;
    else if (arg.startsWith('--')) {
      const name = arg.slice(2);
      if (!known.has(name)) throw new Error(`heed predict g2p: unknown option ${arg}\n\n${PREDICT_G2P_USAGE}`);
      const value = args[++i];
      if (value === undefined || value.startsWith('--')) throw new Error(`heed predict g2p: ${arg} needs a value`);
      flags.set(name, value);
    } else words.push(arg.toLowerCase());
  }
  return { words, flags, json };
}

/** Options of {@link predictG2P}. */
export interface PredictG2POptions {
  /** Words decoded at once (default 256): bounds memory and time per step whatever the input size. */
  batchSize?: number;
  /**
   * Called with each batch of predictions, in order, as soon as it is decoded (awaited before the
   * next batch starts). When given, predictions are not kept: `predictG2P` resolves to `[]`.
   */
  onPredictions?: (predictions: G2PPrediction[]) => void | Promise<void>;
}

/** Creates `--svg DIR` (or finds it), naming DIR when it exists as something other than a directory. */
async function svgDirectoryFor(path: string, command: string): Promise<string> {
  const directory = resolve(path);
  try {
    await mkdir(directory, { recursive: true });
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const reason = code === 'EEXIST' || code === 'ENOTDIR' ? 'exists and is not a directory' : (cause as Error).message;
    throw new Error(`${command}: --svg ${describeValue(path)}: ${reason}; give a directory to write the SVG heatmaps into`, { cause });
  }
  return directory;
}

/**
 * `heed predict g2p`: pronounces words with a saved G2P model (default: the shipped weights),
 * by beam search, with the attention alignment of each as a matrix and a text heatmap; `--svg DIR`
 * also writes each alignment as an SVG heatmap. Every word is checked before any is decoded; then
 * they are decoded `batchSize` at a time. See {@link PREDICT_G2P_USAGE}.
 *
 * @example
 * ```ts
 * const [paste] = await predictG2P(['paste']);
 * paste.phonemes; // ['P', 'EY', 'S', 'T']
 * console.log(paste.heatmap);
 * await predictG2P(['--input', 'words.txt'], { onPredictions: (batch) => console.log(formatG2PPredictions(batch, false)) });
 * ```
 */
export async function predictG2P(args: readonly string[], options: PredictG2POptions = {}): Promise<G2PPrediction[]> {
  const command = 'heed predict g2p';
  const batchSize = checkPositiveInteger(options.batchSize ?? 256, `${command}: batchSize`);
  const { words, flags } = parsePredictArgs(args);
  const input = flags.get('input');
  if (input !== undefined) {
    let text: string;
    try {
      text = await readFile(input, 'utf8');
    } catch (cause) {
      throw new Error(`${command}: --input ${input}: ${(cause as Error).message}`, { cause });
    }
    words.push(...text.split(/\s+/).filter(Boolean).map((word) => word.toLowerCase()));
  }
  if (words.length === 0) throw new Error(`${command}: give at least one word (or --input FILE)\n\n${PREDICT_G2P_USAGE}`);
  const beamText = flags.get('beam') ?? '5';
  const beamSize = Number(beamText);
  if (!Number.isInteger(beamSize) || beamSize < 1 || beamSize > MAX_BEAM_SIZE) {
    throw new Error(`${command}: --beam must be a positive integer at most ${MAX_BEAM_SIZE}; got ${describeValue(beamText)}`);
  }
  const backend = flags.get('backend') ?? 'wasm';
  if (backend !== 'wasm' && backend !== 'cpu') throw new Error(`${command}: --backend must be wasm or cpu; got ${describeValue(backend)}`);
  const svgFlag = flags.get('svg');
  const svgDirectory = svgFlag === undefined ? undefined : await svgDirectoryFor(svgFlag, command);
  await initBackend({ backend });
  const { model } = await loadG2PModel(flags.get('model'), command);
  try {
    const sources = encodeG2PWords(model, words, command);
    const target = model.vocabularies!.target;
    const kept: G2PPrediction[] = [];
    for (let start = 0; start < sources.length; start += batchSize) {
      const results = await model.generate(sources.slice(start, start + batchSize), { beamSize });
      const predictions = results.map((result, offset): G2PPrediction => {
        const word = words[start + offset]!;
        const phonemes = result.tokens.map((id) => target.idToToken(id) ?? '<unk>');
        const alignment = g2pAlignment(model, result.alignment);
        return { word, phonemes, score: result.score, alignment, heatmap: alignmentHeatmap(alignment, [...word], phonemes) };
      });
      if (svgDirectory !== undefined) {
        for (const [offset, prediction] of predictions.entries()) {
          const svg = attentionHeatmapSvg({
            weights: prediction.alignment,
            rowLabels: [...prediction.phonemes, '</s>'].slice(0, prediction.alignment.length),
            columnLabels: [...prediction.word],
            title: `Attention alignment: ${prediction.word} → ${prediction.phonemes.join(' ')}`,
          });
          await writeFile(join(svgDirectory, `${start + offset + 1}-${prediction.word.replace(/'/g, '_')}.svg`), svg);
        }
      }
      if (options.onPredictions) await options.onPredictions(predictions);
      else kept.push(...predictions);
    }
    return kept;
  } finally {
    model.dispose();
  }
}

/**
 * Streams {@link formatG2PPredictions} batch by batch: what `format` returns for each batch, in
 * order, then `end()`, is exactly `formatG2PPredictions(all, json) + '\n'` (for JSON, one array).
 *
 * @example
 * ```ts
 * const output = g2pOutputStream(true);
 * await predictG2P(words, { onPredictions: (batch) => void process.stdout.write(output.format(batch)) });
 * process.stdout.write(output.end());
 * ```
 */
export function g2pOutputStream(json: boolean): { format(batch: readonly G2PPrediction[]): string; end(): string } {
  let first = true;
  return {
    format(batch) {
      if (batch.length === 0) return '';
      const text = formatG2PPredictions(batch, json);
      const start = first ? (json ? '[' : '') : json ? ',' : '\n';
      first = false;
      return start + (json ? text.slice(1, -1) : text); // JSON: the array's items without its brackets
    },
    end() {
      return json ? `${first ? '[' : ''}]\n` : '\n';
    },
  };
}

/**
 * What `heed predict g2p` prints: per word `word<TAB>phonemes` and its heatmap, or with `json` one
 * JSON array of `{ word, phonemes, score, alignment }` (weights rounded to 4 decimals).
 *
 * @example
 * ```ts
 * console.log(formatG2PPredictions(await predictG2P(['paste']), true));
 * ```
 */
export function formatG2PPredictions(predictions: readonly G2PPrediction[], json: boolean): string {
  if (json) {
    return JSON.stringify(predictions.map(({ word, phonemes, score, alignment }) => ({ word, phonemes, score, alignment: alignment.map((row) => row.map((w) => Math.round(w * 1e4) / 1e4)) })));
  }
  return predictions.map(({ word, phonemes, heatmap }) => `${word}\t${phonemes.join(' ')}\n${heatmap}\n`).join('\n');
}
