import { datesDataset, datesVocabularies, type DateExample, type DatesVocabularies } from '@heed/models';

/** Ids of the special tokens shared by the dates vocabularies. */
export const PAD_ID = 0;
export const BOS_ID = 2;
export const EOS_ID = 3;

/** The dates task as the page trains it: examples, vocabularies and fixed padded lengths. */
export interface DatesTask {
  train: DateExample[];
  test: DateExample[];
  vocabularies: DatesVocabularies;
  /** Sizes of the source and target vocabularies (largest id + 1). */
  sourceVocabSize: number;
  targetVocabSize: number;
  /** Padded source length and target length (`<s>` … `</s>`). */
  sourceLength: number;
  targetLength: number;
}

/** A batch as plain arrays: source ids (batch, S) and target ids (batch, T), padded with 0. */
export interface DatesBatch {
  source: number[][];
  target: number[][];
}

function largestId(rows: readonly (readonly number[])[]): number {
  let largest = EOS_ID;
  for (const row of rows) for (const id of row) largest = Math.max(largest, id);
  return largest;
}

/**
 * Builds the task from @heed/models' seeded dates dataset (the same examples on every machine)
 * and its character vocabularies.
 */
export function datesTask(count = 6000, seed = 0): DatesTask {
  const data = datesDataset({ count, seed });
  const vocabularies = datesVocabularies(data.train);
  const sources = data.train.map((example) => vocabularies.inputs.encode(example.input).ids);
  const targets = data.train.map((example) => vocabularies.targets.encode(example.target).ids);
  return {
    train: data.train,
    test: [...data.validation, ...data.test],
    vocabularies,
    sourceVocabSize: largestId(sources) + 1,
    targetVocabSize: largestId(targets) + 1,
    sourceLength: Math.max(...sources.map((ids) => ids.length)) + 4,
    targetLength: Math.max(...targets.map((ids) => ids.length)),
  };
}

/** Source ids of a human-written date, padded to the task's length; errors name the problem. */
export function encodeSource(task: DatesTask, text: string): number[] {
  const ids = task.vocabularies.inputs.encode(text).ids;
  if (ids.length === 0) throw new Error('Type a date, e.g. “4 March 2014”.');
  if (ids.length > task.sourceLength) throw new Error(`That is ${ids.length} characters; at most ${task.sourceLength} (spaces not counted).`);
  return [...ids, ...Array.from({ length: task.sourceLength - ids.length }, () => PAD_ID)];
}

/** The source tokens of a text (for heatmap labels), without padding. */
export function sourceTokens(task: DatesTask, text: string): string[] {
  return task.vocabularies.inputs.encode(text).tokens;
}

/** `size` examples starting at `offset` (wrapping around), encoded and padded. */
export function batchOf(task: DatesTask, examples: readonly DateExample[], offset: number, size: number): DatesBatch {
  const source: number[][] = [];
  const target: number[][] = [];
  for (let index = 0; index < size; index++) {
    const example = examples[(offset + index) % examples.length]!;
    source.push(encodeSource(task, example.input));
    const ids = task.vocabularies.targets.encode(example.target).ids;
    target.push([...ids, ...Array.from({ length: task.targetLength - ids.length }, () => PAD_ID)]);
  }
  return { source, target };
}

/** Target ids (no `<s>`, stopping at `</s>`) as text: `2014-03-04`. */
export function decodeTarget(task: DatesTask, ids: readonly number[]): string {
  const end = ids.indexOf(EOS_ID);
  return (end === -1 ? ids : ids.slice(0, end))
    .filter((id) => id > EOS_ID)
    .map((id) => task.vocabularies.targets.idToToken(id) ?? '?')
    .join('');
}
