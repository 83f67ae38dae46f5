import { QTestApiError } from "./store.js";

/**
 * The subset of qTest's search query language the mock understands: criteria of the form
 * `'<Field>' <op> '<value>'` joined by `and` / `or` (and binds tighter), with the operators
 * `=`, `!=`, `<`, `<=`, `>`, `>=`, `~` (contains) and `!~`.
 */
export interface Criterion {
  field: string;
  op: "=" | "!=" | "<" | "<=" | ">" | ">=" | "~" | "!~";
  value: string;
}

/** Disjunction of conjunctions. */
export type Query = Criterion[][];

const TOKEN = /\s*(?:'((?:[^'\\]|\\.)*)'|(!=|<=|>=|!~|=|<|>|~)|(and|or)\b)/iy;

export function parseQuery(text: string): Query {
  const tokens: { quoted?: string; op?: string; word?: string }[] = [];
  const rest = text.trim();
  let position = 0;
  while (position < rest.length) {
    TOKEN.lastIndex = position;
    const match = TOKEN.exec(rest);
    if (!match) throw invalid(text, `unexpected text at '${rest.slice(position, position + 20)}'`);
    position = TOKEN.lastIndex;
    if (match[1] !== undefined) tokens.push({ quoted: match[1].replace(/\\(.)/g, "$1") });
    else if (match[2] !== undefined) tokens.push({ op: match[2] });
    else tokens.push({ word: (match[3] as string).toLowerCase() });
  }
  const query: Query = [[]];
  for (let i = 0; i < tokens.length; ) {
    const [field, op, value] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (field?.quoted === undefined || op?.op === undefined || value?.quoted === undefined) {
      throw invalid(text, "expected 'Field' <operator> 'value'");
    }
    query.at(-1)?.push({ field: field.quoted, op: op.op as Criterion["op"], value: value.quoted });
    i += 3;
    const joiner = tokens[i];
    if (!joiner) break;
    if (joiner.word === "or") query.push([]);
    else if (joiner.word !== "and") throw invalid(text, "criteria must be joined by 'and' or 'or'");
    i++;
    if (i >= tokens.length) throw invalid(text, "a criterion must follow 'and' / 'or'");
  }
  if (query[0]?.length === 0) throw invalid(text, "the query is empty");
  return query;
}

export function matchesQuery(query: Query, fieldValue: (field: string) => string | undefined): boolean {
  return query.some((all) => all.every((criterion) => matches(criterion, fieldValue(criterion.field))));
}

function matches({ op, value }: Criterion, actual: string | undefined): boolean {
  if (actual === undefined) return op === "!=" || op === "!~";
  if (op === "~") return actual.toLowerCase().includes(value.toLowerCase());
  if (op === "!~") return !actual.toLowerCase().includes(value.toLowerCase());
  const order = compare(actual, value);
  switch (op) {
    case "=":
      return order === 0;
    case "!=":
      return order !== 0;
    case "<":
      return order < 0;
    case "<=":
      return order <= 0;
    case ">":
      return order > 0;
    case ">=":
      return order >= 0;
  }
}

/** Dates compare as instants, numbers as numbers, everything else as text. */
function compare(a: string, b: string): number {
  const looksLikeDate = /^\d{4}-\d{2}-\d{2}/;
  if (looksLikeDate.test(a) && looksLikeDate.test(b)) {
    const [x, y] = [Date.parse(a), Date.parse(b)];
    if (!Number.isNaN(x) && !Number.isNaN(y)) return Math.sign(x - y);
  }
  if (a !== "" && b !== "" && Number.isFinite(Number(a)) && Number.isFinite(Number(b))) return Math.sign(Number(a) - Number(b));
  return a === b ? 0 : a < b ? -1 : 1;
}

function invalid(text: string, why: string): QTestApiError {
  return new QTestApiError(400, `Invalid query "${text}": ${why}.`);
}
