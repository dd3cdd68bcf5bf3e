import { checkPositiveInteger } from '@heed/backends';
import { editDistance, SeededRandom } from '@heed/training';
import type { G2PExample } from '../data/cmudict/cmudict-g2p';
import type { Seq2Seq, Seq2SeqVocabularies } from './seq2seq';

/**
 * One training pair of ids: graphemes → `bos phonemes… eos`.
 *
 * @example
 * ```ts
 * const pair: IdPair = { source: [7, 5, 9, 8, 4], target: [2, 12, 20, 9, 8, 3] };
 * ```
 */
export interface IdPair {
  source: number[];
  target: number[];
}

/**
 * Training pairs of a G2P split: each word once per reference pronunciation, letters and
 * phonemes mapped with the model's vocabularies (unknown letters become `<unk>`).
 *
 * @example
 * ```ts
 * const pairs = g2pPairs(data.train, model.vocabularies!);
 * ```
 */
export function g2pPairs(examples: readonly G2PExample[], vocabularies: Seq2SeqVocabularies): IdPair[] {
  const pairs: IdPair[] = [];
  for (const example of examples) {
    const source = vocabularies.source.encode(example.graphemes.join('')).ids;
    for (const reference of example.references) pairs.push({ source, target: vocabularies.target.encode(reference.join(' ')).ids });
  }
  return pairs;
}

/**
 * Shuffled, length-bucketed batches for one epoch (deterministic for `seed`): pairs are shuffled,
 * sorted by source length within chunks of 50 batches, cut into batches, and the batches shuffled,
 * so little compute goes to padding.
 *
 * @example
 * ```ts
 * for (const batch of lengthBatches(pairs, 128, epoch)) optimizer.minimize(() => model.loss(batch.source, batch.target));
 * ```
 */
export function lengthBatches(pairs: readonly IdPair[], batchSize: number, seed: number): Array<{ source: number[][]; target: number[][] }> {
  checkPositiveInteger(batchSize, 'lengthBatches: batchSize');
  const random = new SeededRandom(seed);
  const order = pairs.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const chunk = batchSize * 50;
  const batches: Array<{ source: number[][]; target: number[][] }> = [];
  for (let start = 0; start < order.length; start += chunk) {
    const slice = order.slice(start, start + chunk).sort((a, b) => pairs[a]!.source.length - pairs[b]!.source.length || pairs[a]!.target.length - pairs[b]!.target.length);
    for (let b = 0; b < slice.length; b += batchSize) {
      const rows = slice.slice(b, b + batchSize).map((i) => pairs[i]!);
      batches.push({ source: rows.map((r) => r.source), target: rows.map((r) => r.target) });
    }
  }
  for (let i = batches.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [batches[i], batches[j]] = [batches[j]!, batches[i]!];
  }
  return batches;
}

/**
 * G2P scores: WER (share of words whose output equals no reference) and PER (edits to the closest
 * reference / its length, summed over words).
 *
 * @example
 * ```ts
 * const { wer, per, words }: G2PScores = scoreG2P(predictions, references);
 * ```
 */
export interface G2PScores {
  wer: number;
  per: number;
  words: number;
}

/**
 * Scores predicted phoneme sequences against every reference: a word is right if the prediction
 * equals any reference; its phoneme errors are the edit distance to the closest reference (ties:
 * the shorter), and PER = Σ errors / Σ lengths of those closest references.
 *
 * @example
 * ```ts
 * scoreG2P([['P', 'EY', 'S', 'T']], [[['P', 'EY', 'S', 'T']]]); // { wer: 0, per: 0, words: 1 }
 * ```
 */
export function scoreG2P(predictions: readonly (readonly string[])[], references: readonly (readonly (readonly string[])[])[]): G2PScores {
  if (predictions.length !== references.length) throw new RangeError(`scoreG2P: ${predictions.length} predictions but ${references.length} reference lists`);
  let wrong = 0;
  let edits = 0;
  let length = 0;
  predictions.forEach((prediction, index) => {
    let best = { edits: Number.POSITIVE_INFINITY, length: 0 };
    for (const reference of references[index]!) {
      const distance = editDistance(reference, prediction);
      if (distance < best.edits || (distance === best.edits && reference.length < best.length)) best = { edits: distance, length: reference.length };
    }
    if (best.edits > 0) wrong++;
    edits += best.edits;
    length += best.length;
  });
  return { wer: predictions.length ? wrong / predictions.length : 0, per: length ? edits / length : 0, words: predictions.length };
}

/**
 * Predicts a G2P split with the model (greedy, or beam search with `beamSize`) in batches and
 * scores it with {@link scoreG2P}. Batches are sorted by length to limit padding.
 *
 * @example
 * ```ts
 * const { wer, per } = await evaluateG2P(model, data.test, { batchSize: 256 });
 * ```
 */
export async function evaluateG2P(
  model: Seq2Seq,
  examples: readonly G2PExample[],
  options: { batchSize?: number; beamSize?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<G2PScores & { predictions: string[][] }> {
  const vocabularies = model.vocabularies;
  if (!vocabularies) throw new Error('evaluateG2P: the model has no vocabularies (construct or load it with them)');
  const batchSize = checkPositiveInteger(options.batchSize ?? 256, 'evaluateG2P: batchSize');
  const order = examples.map((_, i) => i).sort((a, b) => examples[a]!.word.length - examples[b]!.word.length);
  const predictions: string[][] = new Array<string[]>(examples.length);
  for (let start = 0; start < order.length; start += batchSize) {
    const indices = order.slice(start, start + batchSize);
    const sources = indices.map((i) => vocabularies.source.encode(examples[i]!.graphemes.join('')).ids);
    const results = await model.generate(sources, { beamSize: options.beamSize ?? 1 });
    results.forEach((result, k) => {
      predictions[indices[k]!] = result.tokens.map((id) => vocabularies.target.idToToken(id) ?? '<unk>');
    });
    options.onProgress?.(Math.min(start + batchSize, order.length), order.length);
  }
  return { ...scoreG2P(predictions, examples.map((e) => e.references)), predictions };
}

/**
 * Size of a tokenizer's id space: one more than the largest id with a token (ids are dense in
 * heed's data-built vocabularies).
 *
 * @example
 * ```ts
 * tokenizerVocabSize(g2pVocabularies(train).phonemes); // 43: 4 special tokens + 39 phonemes
 * ```
 */
export function tokenizerVocabSize(tokenizer: { idToToken(id: number): string | undefined }): number {
  let size = 0;
  while (tokenizer.idToToken(size) !== undefined) size++;
  return size;
}
