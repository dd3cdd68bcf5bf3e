import { MONTHS, WEEKDAYS, weekday, type CalendarDate } from './calendar';

/** One way people write a date. */
export interface DateFormat {
  /** Stable name, e.g. `'weekday-day-month-year'`. */
  name: string;
  /** How 2014-03-04 looks in this format. */
  example: string;
  /** Writes a date in this format. */
  format(date: CalendarDate): string;
}

const pad = (value: number): string => String(value).padStart(2, '0');
const yy = (year: number): string => pad(year % 100);
const month = (date: CalendarDate): string => MONTHS[date.month - 1]!;
const mon = (date: CalendarDate): string => month(date).slice(0, 3);
const dayName = (date: CalendarDate): string => WEEKDAYS[weekday(date)]!;
const ordinal = (day: number): string => {
  const suffix = day % 10 === 1 && day !== 11 ? 'st' : day % 10 === 2 && day !== 12 ? 'nd' : day % 10 === 3 && day !== 13 ? 'rd' : 'th';
  return `${day}${suffix}`;
};

const formats: Array<[name: string, format: (date: CalendarDate) => string]> = [
  ['weekday-day-month-year', (d) => `${dayName(d)}, ${d.day} ${month(d)} ${d.year}`],
  ['weekday-month-day-year', (d) => `${dayName(d)}, ${month(d)} ${d.day}, ${d.year}`],
  ['short-weekday-mon-day-year', (d) => `${dayName(d).slice(0, 3)}, ${mon(d)} ${d.day}, ${d.year}`],
  ['mm/dd/yy', (d) => `${pad(d.month)}/${pad(d.day)}/${yy(d.year)}`],
  ['m/d/yyyy', (d) => `${d.month}/${d.day}/${d.year}`],
  ['dd.mm.yyyy', (d) => `${pad(d.day)}.${pad(d.month)}.${d.year}`],
  ['yyyymmdd', (d) => `${d.year}${pad(d.month)}${pad(d.day)}`],
  ['yyyy/mm/dd', (d) => `${d.year}/${pad(d.month)}/${pad(d.day)}`],
  ['d mon yyyy', (d) => `${d.day} ${mon(d).toLowerCase()} ${d.year}`],
  ['d month yyyy upper', (d) => `${d.day} ${month(d).toUpperCase()} ${d.year}`],
  ['dd-mon-yy', (d) => `${pad(d.day)}-${mon(d)}-${yy(d.year)}`],
  ['month dth, yyyy', (d) => `${month(d)} ${ordinal(d.day)}, ${d.year}`],
  ['mon d, yyyy', (d) => `${mon(d)} ${d.day}, ${d.year}`],
  ['month d yyyy', (d) => `${month(d).toLowerCase()} ${d.day} ${d.year}`],
  ['the dth of month, yyyy', (d) => `the ${ordinal(d.day)} of ${month(d)}, ${d.year}`],
];

const EXAMPLE: CalendarDate = { year: 2014, month: 3, day: 4 };

/**
 * The human date formats of the synthetic dates task. Numeric dates with `/` are US
 * month-first (`03/04/14` is 4 March 2014) unless they start with a 4-digit year; with `.` they
 * are day-first (`04.03.2014`); two-digit years are 1950-2049 (`yy < 50` → 20yy).
 *
 * @example
 * ```ts
 * DATE_FORMATS.map((format) => format.example);
 * // ['Tuesday, 4 March 2014', 'Tuesday, March 4, 2014', 'Tue, Mar 4, 2014', '03/04/14', …]
 * ```
 */
export const DATE_FORMATS: readonly DateFormat[] = Object.freeze(
  formats.map(([name, format]) => Object.freeze({ name, example: format(EXAMPLE), format })),
);
