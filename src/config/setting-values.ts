/**
 * How the text of a setting becomes its value, and the one line that says what is wrong with it.
 * Action inputs and environment variables are text; each setting in `settings.ts` names its kind here.
 */
import { BadInputError } from "../errors.js";
import { blankToUndefined } from "./values.js";

/** Where a raw value came from, so a message can name it the way the user wrote it. */
export interface ValueSource {
  /** `input`: an action input; `env`: an environment variable; `option`: a value passed to `loadConfig`. */
  kind: "input" | "env" | "option";
  /** The input's or variable's name. */
  name: string;
}

export interface ValueKind<T> {
  /** `raw` exactly as given; undefined when it is not given (unset or blank). Throws `BadInputError`. */
  read(raw: string | undefined, from: ValueSource): T | undefined;
  /** The allowed values, for a closed set. */
  choices?: readonly string[];
}

/** `Input mode` or `ZTOQ_STATE`: how a message names the source of a value. */
function subject(from: ValueSource): string {
  return from.kind === "input" ? `Input ${from.name}` : from.name;
}

/** Any text, trimmed. */
export const text: ValueKind<string> = { read: (raw) => blankToUndefined(raw) };

/** Trimmed (secrets pasted into a store often end in a newline), without a pasted `Bearer ` prefix. */
export const token: ValueKind<string> = {
  read: (raw) => blankToUndefined(blankToUndefined(raw)?.replace(/^bearer\s+/i, "")),
};

/** A password is kept exactly as given, unless it is blank. */
export const password: ValueKind<string> = {
  read: (raw) => (raw === undefined || raw.trim() === "" ? undefined : raw),
};

/** `true` or `false`, in any case. */
export const boolean: ValueKind<boolean> = {
  read(raw, from) {
    const value = (raw ?? "").trim().toLowerCase();
    if (value === "") return undefined;
    if (value === "false") return false;
    if (value === "true") return true;
    throw new BadInputError(`${subject(from)} must be true or false; got "${value}".`);
  },
};

export function choice<const C extends readonly string[]>(choices: C): ValueKind<C[number]> {
  return {
    choices,
    read(raw, from) {
      const value = blankToUndefined(raw);
      if (value === undefined) return undefined;
      if (!choices.includes(value))
        throw new BadInputError(`${subject(from)} must be one of ${choices.join(", ")}; got "${value}".`);
      return value as C[number];
    },
  };
}

export function wholeNumber(min: number, max: number): ValueKind<number> {
  return {
    read(raw, from) {
      const value = blankToUndefined(raw);
      if (value === undefined) return undefined;
      const number = Number(value);
      if (!Number.isInteger(number) || number < min || number > max) {
        throw new BadInputError(`${subject(from)} must be a whole number from ${min} to ${max}; got "${value}".`);
      }
      return number;
    },
  };
}

/**
 * A qTest project id. The two sources have always been checked apart: the variable refuses 0 itself,
 * while the input leaves 0 to the schema, which names it as the option `qtest.projectId`.
 */
export const projectId: ValueKind<number> = {
  read(raw, from) {
    const value = blankToUndefined(raw);
    if (value === undefined) return undefined;
    if (from.kind === "input") {
      if (!/^\d+$/.test(value)) {
        throw new BadInputError(`${subject(from)} must be a positive whole number (the qTest project id); got "${value}".`);
      }
      return Number(value);
    }
    const id = /^[0-9]+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(id) || id <= 0) {
      throw new BadInputError(
        `${subject(from)} must be a whole number from 1 to ${Number.MAX_SAFE_INTEGER} (the qTest project id); got ${JSON.stringify(value)}`,
      );
    }
    return id;
  },
};
