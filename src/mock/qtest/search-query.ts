import { QTestApiError } from "./errors.js";

/**
 * The subset of qTest's search query language the mock understands: criteria of the form
 * `'<Field>' <op> '<value>'` joined by `and` / `or` (and binds tighter). A one-word field needs no
 * quotes and values may use double quotes, as the Swagger's own example (`Name ~ "login"`) does.
 * Operators: `=`, `!=`, `<`, `<=`, `>`, `>=`, `~` (contains), `!~`, and `is 'empty'` / `is 'not empty'`.
 * A field is named by its label or its id.
 */
export interface Criterion {
  field: string;
  op: "=" | "!=" | "<" | "<=" | ">" | ">=" | "~" | "!~" | "is";
  value: string;
}

/** Disjunction of conjunctions. */
export type Query = Criterion[][];

type Token = { text: string; kind: "quoted" | "op" | "word" };

const TOKEN = /\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(!=|<=|>=|!~|=|<|>|~)|([A-Za-z_][\w]*))/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const source = text.trim();
  let position = 0;
  while (position < source.length) {
    TOKEN.lastIndex = position;
    const match = TOKEN.exec(source);
    if (!match) throw invalid(text, `unexpected text at '${source.slice(position, position + 20)}'`);
    position = TOKEN.lastIndex;
    const quoted = match[1] ?? match[2];
    if (quoted !== undefined) tokens.push({ text: quoted.replace(/\\(.)/g, "$1"), kind: "quoted" });
    else if (match[3] !== undefined) tokens.push({ text: match[3], kind: "op" });
    else tokens.push({ text: match[4] as string, kind: "word" });
  }
  return tokens;
}

export function parseQuery(text: string): Query {
  const tokens = tokenize(text);
  const query: Query = [[]];
  for (let i = 0; i < tokens.length; ) {
    const [field, op, value] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    const isOp = op?.kind === "op" || (op?.kind === "word" && op.text.toLowerCase() === "is");
    if (!field || field.kind === "op" || !isOp || value?.kind !== "quoted") {
      throw invalid(text, "expected 'Field' <operator> 'value'");
    }
    const operator = (op.kind === "word" ? "is" : op.text) as Criterion["op"];
    if (operator === "is" && !["empty", "not empty"].includes(value.text.toLowerCase())) {
      throw invalid(text, "'is' takes 'empty' or 'not empty'");
    }
    query.at(-1)?.push({ field: field.text, op: operator, value: value.text });
    i += 3;
    const joiner = tokens[i]?.kind === "word" ? tokens[i]?.text.toLowerCase() : undefined;
    if (i >= tokens.length) break;
    if (joiner === "or") query.push([]);
    else if (joiner !== "and") throw invalid(text, "criteria must be joined by 'and' or 'or'");
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
  if (op === "is") return (value.toLowerCase() === "empty") === (actual === undefined || actual === "");
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
