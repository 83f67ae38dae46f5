/**
 * Timestamps from either engine as one instant: PostgreSQL's `2024-05-01 10:00:00.123456+00` (the
 * session runs in UTC), SQLite's text (`2024-05-01T12:00:00+02:00`, `2024-05-01 10:00:00`, a date alone).
 * Text without an offset is taken as UTC. Finer digits are cut, not rounded: a side that keeps
 * milliseconds holds the first three digits of the other's microseconds. Read by hand, without a regular
 * expression or a Date: a cross-engine merge reads one per row and side.
 */

export type TimestampPrecision = "s" | "ms" | "us";

/** An instant: whole seconds since 1970 (UTC) and the microseconds past them (0…999999). */
export interface Instant {
  seconds: number;
  micros: number;
}

const UNIT: Record<TimestampPrecision, number> = { s: 1_000_000, ms: 1_000, us: 1 };

/** Whether two texts are the same instant at `precision`; undefined when either is not a timestamp this reads. */
export function sameInstant(a: string, b: string, precision: TimestampPrecision): boolean | undefined {
  const x = parseTimestamp(a);
  const y = parseTimestamp(b);
  if (x === undefined || y === undefined) return undefined;
  const unit = UNIT[precision];
  return x.seconds === y.seconds && Math.floor(x.micros / unit) === Math.floor(y.micros / unit);
}

/** `2024-05-01T10:00:00.123Z` at `ms`; undefined when the text is not a timestamp this reads. */
export function canonicalTimestamp(text: string, precision: TimestampPrecision): string | undefined {
  const instant = parseTimestamp(text);
  if (instant === undefined) return undefined;
  const days = Math.floor(instant.seconds / 86_400);
  const [year, month, day] = civilFromDays(days);
  if (year < 0 || year > 9999) return undefined;
  const second = instant.seconds - days * 86_400;
  const time = [Math.floor(second / 3600), Math.floor(second / 60) % 60, second % 60].map((n) => pad(n, 2)).join(":");
  const fraction = pad(instant.micros, 6);
  const digits = precision === "s" ? "" : `.${precision === "ms" ? fraction.slice(0, 3) : fraction}`;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${time}${digits}Z`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** The instant a text names, or undefined. */
export function parseTimestamp(text: string): Instant | undefined {
  let i = 0;
  const n = text.length;
  while (i < n && text.charCodeAt(i) === 32) i++;
  const digits = (min: number, max: number): number => {
    let value = 0;
    const start = i;
    while (i < n && i - start < max) {
      const c = text.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      value = value * 10 + c;
      i++;
    }
    return i - start < min ? -1 : value;
  };
  const expect = (code: number): boolean => {
    if (text.charCodeAt(i) !== code) return false;
    i++;
    return true;
  };
  const year = digits(4, 6);
  if (year < 0 || !expect(45)) return undefined;
  const month = digits(1, 2);
  if (month < 1 || month > 12 || !expect(45)) return undefined;
  const day = digits(1, 2);
  if (day < 1 || day > 31) return undefined;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let micros = 0;
  const separator = text.charCodeAt(i);
  if (separator === 84 || separator === 116 || (separator === 32 && isDigit(text.charCodeAt(i + 1)))) {
    i++;
    hour = digits(1, 2);
    if (hour < 0 || hour > 24 || !expect(58)) return undefined;
    minute = digits(2, 2);
    if (minute < 0 || minute > 59) return undefined;
    if (expect(58)) {
      second = digits(2, 2);
      if (second < 0 || second > 60) return undefined;
      const dot = text.charCodeAt(i);
      if (dot === 46 || dot === 44) {
        i++;
        const start = i;
        let scale = 100_000;
        while (i < n && isDigit(text.charCodeAt(i))) {
          micros += (text.charCodeAt(i) - 48) * scale;
          scale /= 10;
          i++;
        }
        if (i === start) return undefined;
        micros = Math.floor(micros);
      }
    }
  }
  while (i < n && text.charCodeAt(i) === 32) i++;
  let offset = 0;
  const zone = text.charCodeAt(i);
  if (zone === 90 || zone === 122) {
    i++;
  } else if (zone === 43 || zone === 45) {
    i++;
    const hours = digits(2, 2);
    if (hours < 0) return undefined;
    expect(58);
    const minutes = i < n ? digits(2, 2) : 0;
    expect(58);
    const seconds = i < n ? digits(2, 2) : 0;
    if (minutes < 0 || seconds < 0) return undefined;
    offset = (zone === 45 ? -1 : 1) * (hours * 3600 + minutes * 60 + seconds);
  }
  if (i !== n) return undefined;
  const seconds = daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset;
  return { seconds, micros };
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}
