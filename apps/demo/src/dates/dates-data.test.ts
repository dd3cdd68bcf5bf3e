import { parseHumanDate } from '@heed/models';
import { describe, expect, it } from 'vitest';
import { batchOf, datesTask, decodeTarget, encodeSource, sourceTokens } from './dates-data';

describe('dates task of the Dates page', () => {
  const task = datesTask(800);

  it('batches id sequences whose targets are <s> ISO date </s> and decode back to the target', () => {
    const batch = batchOf(task, task.train, task.train.length - 1, 4); // wraps around
    expect(batch.source).toHaveLength(4);
    batch.target.forEach((ids, index) => {
      const example = task.train[(task.train.length - 1 + index) % task.train.length]!;
      expect(ids[0]).toBe(2);
      expect(ids.at(-1)).toBe(3);
      expect(decodeTarget(task, ids.slice(1, -1))).toBe(example.target);
      expect(parseHumanDate(example.input)).toBe(example.target);
    });
    expect(Math.max(...batch.target.map((ids) => ids.length))).toBeLessThanOrEqual(task.maxTargetLength + 1);
  });

  it('encodes a typed date without spaces, and says what is wrong with bad input', () => {
    expect(sourceTokens(task, '4 Mar 2014')).toEqual(['4', 'M', 'a', 'r', '2', '0', '1', '4']);
    expect(encodeSource(task, '4 Mar 2014')).toHaveLength(8);
    expect(() => encodeSource(task, '   ')).toThrow('Type a date');
    expect(() => encodeSource(task, '1'.repeat(task.maxSourceLength + 1))).toThrow(`at most ${task.maxSourceLength}`);
  });
});
