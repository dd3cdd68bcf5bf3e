import { MONTHS, WEEKDAYS, daysInMonth, isoDate, weekday } from './calendar';

const MONTH_NAMES = new Map<string, number>();
MONTHS.forEach((name, index) => {
  MONTH_NAMES.set(name.toLowerCase(), index + 1);
  MONTH_NAMES.set(name.slice(0, 3).toLowerCase(), index + 1);
});
MONTH_NAMES.set('sept', 9);
const WEEKDAY_NAMES = new Map<string, number>();
WEEKDAYS.forEach((name, index) => {
  WEEKDAY_NAMES.set(name.toLowerCase(), index);
  WEEKDAY_NAMES.set(name.slice(0, 3).toLowerCase(), index);
});
const FILLER = new Set(['the', 'of']);

const fullYear = (text: string): number => (text.length === 4 ? Number(text) : Number(text) < 50 ? 2000 + Number(text) : 1900 + Number(text));

/**
 * Parses a date written the ways of {@link DATE_FORMATS} (and close variants: any case, full or
 * 3-letter month and weekday names, ordinals) into ISO `YYYY-MM-DD`; `null` if the text is not a
 * date, the date does not exist, or a weekday name contradicts it. The reference checker of the
 * dates task.
 *
 * @example
 * ```ts
 * parseHumanDate('Tuesday, 4 March 2014'); // '2014-03-04'
 * parseHumanDate('03/04/14'); // '2014-03-04' (US month-first)
 * parseHumanDate('Monday, 4 March 2014'); // null: 4 March 2014 was a Tuesday
 * ```
 */
export function parseHumanDate(text: string): string | null {
  const lower = text.trim().toLowerCase();
  let year: number | undefined;
  let month: number | undefined;
  let day: number | undefined;
  let named: number | undefined;
  const numeric = /^(\d{1,4})([/.-])(\d{1,2})\2(\d{1,4})$/.exec(lower);
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(lower);
  if (compact) {
    [year, month, day] = [Number(compact[1]), Number(compact[2]), Number(compact[3])];
  } else if (numeric) {
    const [, a, separator, b, c] = numeric as unknown as [string, string, string, string, string];
    if (a.length === 4) [year, month, day] = [Number(a), Number(b), Number(c)];
    else if (c.length !== 2 && c.length !== 4) return null;
    else if (separator === '.') [day, month, year] = [Number(a), Number(b), fullYear(c)];
    else if (separator === '/') [month, day, year] = [Number(a), Number(b), fullYear(c)];
    else return null;
  } else {
    const numbers: string[] = [];
    for (const token of lower.split(/[\s,/-]+/).filter((part) => part !== '')) {
      const word = token.replace(/\.$/, '');
      if (MONTH_NAMES.has(word)) {
        if (month !== undefined) return null;
        month = MONTH_NAMES.get(word);
      } else if (WEEKDAY_NAMES.has(word)) {
        if (named !== undefined) return null;
        named = WEEKDAY_NAMES.get(word);
      } else if (/^\d{1,2}(st|nd|rd|th)$/.test(word)) {
        const value = Number(word.slice(0, -2));
        if (word.slice(-2) !== ordinalSuffix(value) || day !== undefined) return null;
        day = value;
      } else if (/^\d+$/.test(word)) numbers.push(word);
      else if (!FILLER.has(word)) return null;
    }
    if (month === undefined) return null;
    for (const number of numbers) {
      if (number.length === 4 && year === undefined) year = Number(number);
      else if (number.length <= 2 && day === undefined) day = Number(number);
      else if (number.length === 2 && year === undefined) year = fullYear(number);
      else return null;
    }
  }
  if (year === undefined || month === undefined || day === undefined) return null;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  const date = { year, month, day };
  if (named !== undefined && named !== weekday(date)) return null;
  return isoDate(date);
}

function ordinalSuffix(day: number): string {
  if (day % 100 >= 11 && day % 100 <= 13) return 'th';
  return day % 10 === 1 ? 'st' : day % 10 === 2 ? 'nd' : day % 10 === 3 ? 'rd' : 'th';
}
