import { datesDataset, datesVocabularies, tokenizerVocabSize, type DateExample, type DatesVocabularies } from '@heed/models';

/** The dates task as the page trains it: examples, vocabularies and sizes for the model config. */
export interface DatesTask {
  train: DateExample[];
  test: DateExample[];
  vocabularies: DatesVocabularies;
  sourceVocabSize: number;
  targetVocabSize: number;
  /** Longest source the model accepts (characters, spaces not counted). */
  maxSourceLength: number;
  /** Longest target: 10 ISO characters and the end token. */
  maxTargetLength: number;
}

/** A batch of id sequences (unpadded: Seq2Seq pads them). */
export interface DatesBatch {
  source: number[][];
  target: number[][];
}

/** Builds the task from @heed/models' seeded dates dataset (the same examples on every machine). */
export function datesTask(count = 6000, seed = 0): DatesTask {
  const data = datesDataset({ count, seed });
  const vocabularies = datesVocabularies(data.train);
  const longest = Math.max(...data.train.map((example) => vocabularies.inputs.encode(example.input).ids.length));
  return {
    train: data.train,
    test: [...data.validation, ...data.test],
    vocabularies,
    sourceVocabSize: tokenizerVocabSize(vocabularies.inputs),
    targetVocabSize: tokenizerVocabSize(vocabularies.targets),
    maxSourceLength: longest + 8,
    maxTargetLength: 12,
  };
}

/** Source ids of a human-written date; errors say what is wrong with the text. */
export function encodeSource(task: DatesTask, text: string): number[] {
  const ids = task.vocabularies.inputs.encode(text).ids;
  if (ids.length === 0) throw new Error('Type a date, e.g. “4 March 2014”.');
  if (ids.length > task.maxSourceLength) throw new Error(`That is ${ids.length} characters; at most ${task.maxSourceLength} (spaces not counted).`);
  return ids;
}

/** The source tokens of a text (heatmap column labels). */
export function sourceTokens(task: DatesTask, text: string): string[] {
  return task.vocabularies.inputs.encode(text).tokens;
}

/** `size` examples starting at `offset` (wrapping around), as id sequences (`<s>` … `</s>` targets). */
export function batchOf(task: DatesTask, examples: readonly DateExample[], offset: number, size: number): DatesBatch {
  const picked = Array.from({ length: size }, (_, index) => examples[(offset + index) % examples.length]!);
  return {
    source: picked.map((example) => encodeSource(task, example.input)),
    target: picked.map((example) => task.vocabularies.targets.encode(example.target).ids),
  };
}

/** Generated target ids (no `<s>` / `</s>`) as text, e.g. `2014-03-04`. */
export function decodeTarget(task: DatesTask, ids: readonly number[]): string {
  return ids.map((id) => task.vocabularies.targets.idToToken(id) ?? '?').join('');
}
