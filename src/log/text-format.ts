/**
 * A pino record as one line a person reads: time, level, message, then what it is about (the entity
 * and its key, or the qTest object type and field), why it failed, the report written, and the run.
 * Only these fields: a record's other fields are for machines (the JSON logs keep them all), and
 * naming the few shown keeps anything sensitive out.
 */
const LEVELS: Record<number, string> = { 10: "TRACE", 20: "DEBUG", 30: "INFO", 40: "WARN", 50: "ERROR", 60: "FATAL" };

export function formatLogRecord(record: Record<string, unknown>): string {
  const level = LEVELS[Number(record.level)] ?? String(record.level ?? "");
  const parts = [`${clock(record.time)} ${level.padEnd(5)} ${oneLine(String(record.msg ?? ""))}`];
  for (const fields of [
    ["entity", "key"],
    ["objectType", "field"],
  ]) {
    const about = fields.map((f) => record[f]).filter((v) => typeof v === "string" || typeof v === "number");
    if (about.length > 0) parts.push(oneLine(about.join(" ")));
  }
  const error = errorText(record.error ?? record.err);
  if (error) parts.push(oneLine(error));
  if (typeof record.report === "string") parts.push(`report ${record.report}`);
  if (typeof record.runId === "string") parts.push(`run ${record.runId}`);
  return parts.join(" · ");
}

/** Local wall-clock time to the second: a person compares it with their own clock. */
function clock(time: unknown): string {
  const date = typeof time === "number" || typeof time === "string" ? new Date(time) : new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

function errorText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && typeof (value as { message?: unknown }).message === "string") {
    return (value as { message: string }).message;
  }
  return undefined;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
