/**
 * Timestamps from either engine as one ISO 8601 UTC spelling at a chosen precision: PostgreSQL's
 * `2024-05-01 10:00:00.123456+00` (the session runs in UTC), SQLite's text (`2024-05-01T12:00:00+02:00`,
 * `2024-05-01 10:00:00`, a date alone). Text without an offset is taken as UTC. Finer digits are cut, not
 * rounded: a side that keeps milliseconds holds the first three digits of the other's microseconds.
 */

export type TimestampPrecision = "s" | "ms" | "us";

const TIMESTAMP =
  /^(\d{4,})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?$/i;

/** `2024-05-01T10:00:00.123Z` at `ms`; undefined when the text is not a timestamp this reads. */
export function canonicalTimestamp(text: string, precision: TimestampPrecision): string | undefined {
  const match = TIMESTAMP.exec(text.trim());
  if (!match) return undefined;
  const [, year, month, day, hour = "0", minute = "0", second = "0", fraction = "", zone] = match;
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  date.setUTCHours(Number(hour), Number(minute), Number(second), 0);
  let ms = date.getTime() - offsetMs(zone);
  if (Number.isNaN(ms)) return undefined;
  const micros = fraction.padEnd(6, "0").slice(0, 6);
  ms += Number(micros.slice(0, 3));
  const iso = new Date(ms).toISOString();
  if (iso.startsWith("+") || iso.startsWith("-")) return undefined;
  const seconds = iso.slice(0, 19);
  if (precision === "s") return `${seconds}Z`;
  if (precision === "ms") return `${iso.slice(0, 23)}Z`;
  return `${iso.slice(0, 23)}${micros.slice(3)}Z`;
}

function offsetMs(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === "Z") return 0;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replaceAll(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4) || "0");
  const seconds = Number(digits.slice(4, 6) || "0");
  return sign * ((hours * 60 + minutes) * 60 + seconds) * 1000;
}
