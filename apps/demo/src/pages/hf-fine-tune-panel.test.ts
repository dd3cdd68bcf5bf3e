import { describe, expect, it } from 'vitest';
import { parseLabelledLines } from './hf-fine-tune-panel';

const id2label = { 0: 'negative', 1: 'neutral', 2: 'positive' };

describe('parseLabelledLines', () => {
  it('reads label<TAB>text and text,label lines, by label name or id, skipping blank lines', () => {
    expect(parseLabelledLines('positive\tA fine film.\n\nA dull film, really.,negative\n1\tIt is a film.\r\nPOSITIVE\tGood, very good.', id2label)).toEqual([
      { text: 'A fine film.', label: 2 },
      { text: 'A dull film, really.', label: 0 },
      { text: 'It is a film.', label: 1 },
      { text: 'Good, very good.', label: 2 },
    ]);
  });

  it('names the line, the known labels and the bad label', () => {
    expect(() => parseLabelledLines('positive\tok\nhappy\tA fine film.', id2label)).toThrow('line 2 ("happy\tA fine film."): expected "label<TAB>text" or "text,label" with a label among negative, neutral, positive, got label "happy"');
    expect(() => parseLabelledLines('no label here', id2label)).toThrow('got label ""');
    expect(() => parseLabelledLines('positive\t  ', id2label)).toThrow('line 1 ("positive\t  "): the text is empty');
  });
});
