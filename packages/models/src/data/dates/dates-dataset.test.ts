import { describe, expect, it } from 'vitest';
import { dayNumber, fromDayNumber, weekday } from './calendar';
import { DATE_FORMATS } from './date-formats';
import { datesDataset, generateDates } from './dates-dataset';
import { parseHumanDate } from './parse-human-date';

// Independent reference: JavaScript's Date (UTC) and Intl English names.
const utc = (iso: string) => new Date(`${iso}T00:00:00Z`);
const nameOf = (iso: string, part: 'weekday' | 'month') =>
  utc(iso).toLocaleDateString('en-US', { [part]: 'long', timeZone: 'UTC' });
const WEEKDAY_WORDS = /\b(sun|mon|tue|wed|thu|fri|sat)[a-z]*\b/i;
const MONTH_WORDS = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b/i;

describe('DATE_FORMATS', () => {
  it('write 2014-03-04 (a Tuesday) as people do', () => {
    expect(Object.fromEntries(DATE_FORMATS.map((format) => [format.name, format.example]))).toEqual({
      'weekday-day-month-year': 'Tuesday, 4 March 2014',
      'weekday-month-day-year': 'Tuesday, March 4, 2014',
      'short-weekday-mon-day-year': 'Tue, Mar 4, 2014',
      'mm/dd/yy': '03/04/14',
      'm/d/yyyy': '3/4/2014',
      'dd.mm.yyyy': '04.03.2014',
      yyyymmdd: '20140304',
      'yyyy/mm/dd': '2014/03/04',
      'd mon yyyy': '4 mar 2014',
      'd month yyyy upper': '4 MARCH 2014',
      'dd-mon-yy': '04-Mar-14',
      'month dth, yyyy': 'March 4th, 2014',
      'mon d, yyyy': 'Mar 4, 2014',
      'month d yyyy': 'march 4 2014',
      'the dth of month, yyyy': 'the 4th of March, 2014',
    });
    for (const format of DATE_FORMATS) expect(parseHumanDate(format.example), format.name).toBe('2014-03-04');
  });
});

describe('calendar arithmetic', () => {
  it('agrees with Date on every day from 1950 to 2049', () => {
    const bad: string[] = [];
    for (let time = Date.UTC(1950, 0, 1); time <= Date.UTC(2049, 11, 31); time += 86_400_000) {
      const date = new Date(time);
      const days = time / 86_400_000;
      const civil = fromDayNumber(days);
      const expected = { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
      if (dayNumber(expected) !== days || civil.year !== expected.year || civil.month !== expected.month || civil.day !== expected.day || weekday(civil) !== date.getUTCDay()) {
        bad.push(date.toISOString());
      }
    }
    expect(bad).toEqual([]);
  });
});

describe('generateDates', () => {
  const examples = generateDates({ count: 6000, seed: 1 });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateDates({ count: 6000, seed: 1 })).toEqual(examples);
    expect(generateDates({ count: 50, seed: 2 })).not.toEqual(examples.slice(0, 50));
  });

  it('writes real dates whose weekday and month names agree with Date', () => {
    const bad = examples.filter(({ input, target }) => {
      if (utc(target).toISOString().slice(0, 10) !== target) return true;
      if (WEEKDAY_WORDS.test(input) && !nameOf(target, 'weekday').toLowerCase().startsWith(WEEKDAY_WORDS.exec(input)![1]!.toLowerCase())) return true;
      if (MONTH_WORDS.test(input) && !nameOf(target, 'month').toLowerCase().startsWith(MONTH_WORDS.exec(input)![1]!.toLowerCase())) return true;
      const day = String(utc(target).getUTCDate());
      const year = target.slice(0, 4);
      return !new RegExp(`(^|\\D)0?${day}(\\D|$)|${target.slice(8)}(\\D|$)`).test(input) || !input.includes(year.slice(2));
    });
    expect(bad).toEqual([]);
    expect(examples.filter((example) => parseHumanDate(example.input) !== example.target)).toEqual([]);
  });

  it('uses every format and spans 1950-2049', () => {
    expect(new Set(examples.map((example) => example.format))).toEqual(new Set(DATE_FORMATS.map((format) => format.name)));
    const targets = examples.map((example) => example.target).sort();
    expect(targets[0]! < '1952-01-01').toBe(true);
    expect(targets.at(-1)! > '2047-12-31').toBe(true);
  });

  it('keeps a calendar day in one split', () => {
    const data = datesDataset({ count: 6000, seed: 1 });
    const trainDays = new Set(data.train.map((example) => example.target));
    expect([...data.validation, ...data.test].filter((example) => trainDays.has(example.target))).toEqual([]);
    expect(data.train.length + data.validation.length + data.test.length).toBe(6000);
  });

  it('honours from, to and formats, and names bad options', () => {
    const few = generateDates({ count: 100, seed: 3, from: '2014-03-01', to: '2014-03-31', formats: ['mm/dd/yy'] });
    expect(few.every((example) => example.target.startsWith('2014-03-') && /^03\/\d\d\/14$/.test(example.input))).toBe(true);
    expect(() => generateDates({ count: -1 })).toThrow(/count must be a non-negative integer; got -1/);
    expect(() => generateDates({ count: 1, from: '2014-02-30' })).toThrow(/from must be an ISO date.*"2014-02-30"/);
    expect(() => generateDates({ count: 1, to: '2050-01-01' })).toThrow(/to must be an ISO date/);
    expect(() => generateDates({ count: 1, from: '2014-01-02', to: '2014-01-01' })).toThrow(/from must not be after to/);
    expect(() => generateDates({ count: 1, formats: ['nope'] })).toThrow(/unknown "nope"/);
  });
});

describe('parseHumanDate', () => {
  it('rejects contradictions, impossible days and non-dates', () => {
    expect(parseHumanDate('Monday, 4 March 2014')).toBeNull();
    expect(parseHumanDate('02/30/14')).toBeNull();
    expect(parseHumanDate('31.04.2020')).toBeNull();
    expect(parseHumanDate('March 4nd, 2014')).toBeNull();
    expect(parseHumanDate('hello')).toBeNull();
    expect(parseHumanDate('')).toBeNull();
  });

  it('reads two-digit years as 1950-2049 and leap days', () => {
    expect(parseHumanDate('12/31/49')).toBe('2049-12-31');
    expect(parseHumanDate('01/01/50')).toBe('1950-01-01');
    expect(parseHumanDate('29 feb 2000')).toBe('2000-02-29');
    expect(parseHumanDate('29 feb 1900')).toBeNull();
    expect(parseHumanDate('Sept 1, 2001')).toBe('2001-09-01');
  });
});
