import { splitOf } from '../dataset-split';
import { SeededRandom } from '@heed/training';
import { groupBySplit, type SplitDataset } from '../split-dataset';
import { dayNumber, fromDayNumber, isoDate, type CalendarDate } from './calendar';
import { DATE_FORMATS } from './date-formats';
import { parseHumanDate } from './parse-human-date';

/**
 * One example of the dates task: a human-written date and its ISO form.
 *
 * @example
 * ```ts
 * const example: DateExample = { input: 'Tuesday, 4 March 2014', target: '2014-03-04', format: 'weekday-day-month-year' };
 * ```
 */
export interface DateExample {
  input: string;
  /** `YYYY-MM-DD`. */
  target: string;
  /** The {@link DATE_FORMATS} name the input was written in. */
  format: string;
}

/** Options of {@link generateDates} and {@link datesDataset}. */
export interface DatesOptions {
  /** How many examples. */
  count: number;
  /** Generator seed (an integer); default 0. The same seed gives the same examples everywhere. */
  seed?: number;
  /** First possible date, ISO; default and minimum `'1950-01-01'` (two-digit years). */
  from?: string;
  /** Last possible date, ISO; default and maximum `'2049-12-31'`. */
  to?: string;
  /** {@link DATE_FORMATS} names to use; default all. */
  formats?: readonly string[];
}

const MIN = '1950-01-01';
const MAX = '2049-12-31';

function parseIso(name: string, value: string): CalendarDate {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match ? { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) } : undefined;
  if (!date || isoDate(fromDayNumber(dayNumber(date))) !== value || value < MIN || value > MAX) {
    throw new RangeError(`generateDates: ${name} must be an ISO date from ${MIN} to ${MAX}; got ${JSON.stringify(value)}`);
  }
  return date;
}

/**
 * Generates the synthetic dates task: uniformly random days from `from` to `to`, each written in a
 * uniformly chosen {@link DATE_FORMATS} format, deterministic for a seed. Every input is checked to
 * parse back to its target with {@link parseHumanDate}.
 *
 * @example
 * ```ts
 * generateDates({ count: 2, seed: 7 });
 * // [{ input: '…', target: 'YYYY-MM-DD', format: '…' }, …], the same on every machine
 * ```
 */
export function generateDates(options: DatesOptions): DateExample[] {
  const { count, seed = 0, from = MIN, to = MAX } = options;
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`generateDates: count must be a non-negative integer; got ${count}`);
  const first = dayNumber(parseIso('from', from));
  const last = dayNumber(parseIso('to', to));
  if (last < first) throw new RangeError(`generateDates: from must not be after to; got from ${from}, to ${to}`);
  const names = options.formats ?? DATE_FORMATS.map((format) => format.name);
  const formats = names.map((name) => {
    const format = DATE_FORMATS.find((candidate) => candidate.name === name);
    if (!format) {
      throw new RangeError(`generateDates: formats has unknown ${JSON.stringify(name)}; known: ${DATE_FORMATS.map((f) => f.name).join(', ')}`);
    }
    return format;
  });
  if (formats.length === 0) throw new RangeError('generateDates: formats must name at least one format; got []');
  const random = new SeededRandom(seed);
  const examples: DateExample[] = [];
  for (let index = 0; index < count; index++) {
    const date = fromDayNumber(first + random.int(last - first + 1));
    const format = formats[random.int(formats.length)]!;
    const example = { input: format.format(date), target: isoDate(date), format: format.name };
    if (parseHumanDate(example.input) !== example.target) {
      throw new Error(`generateDates: internal error, ${JSON.stringify(example.input)} does not parse back to ${example.target}`);
    }
    examples.push(example);
  }
  return examples;
}

/**
 * {@link generateDates} cut into splits by `splitOf(target)`, so a calendar day seen in training
 * never appears in validation or test (in any format).
 *
 * @example
 * ```ts
 * const data = datesDataset({ count: 20_000, seed: 0 });
 * data.train.length; // about 18,000
 * ```
 */
export function datesDataset(options: DatesOptions): SplitDataset<DateExample> {
  return groupBySplit(generateDates(options), (example) => splitOf(example.target));
}
