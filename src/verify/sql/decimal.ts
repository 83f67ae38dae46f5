/**
 * Numbers as decimal strings, so that a NUMERIC of any precision compares exactly: `12.50`, `12.5`,
 * `1.25e1` and `+012.5` are one number, `-0` is `0`. Floats are printed by both engines as their shortest
 * round-trip digits, so the same rules hold for them.
 */

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const SPECIAL: Record<string, string> = {
  nan: "NaN",
  infinity: "Infinity",
  "+infinity": "Infinity",
  inf: "Infinity",
  "-infinity": "-Infinity",
  "-inf": "-Infinity",
};

/** The one spelling of a number (`-12.5`, `0`, `NaN`, `Infinity`); undefined when the text is not a number. */
export function canonicalDecimal(text: string): string | undefined {
  const trimmed = text.trim();
  const special = SPECIAL[trimmed.toLowerCase()];
  if (special !== undefined) return special;
  const match = DECIMAL.exec(trimmed);
  if (!match) return undefined;
  const [, sign = "", whole = "", fraction = "", exponent] = match;
  if (whole === "" && fraction === "") return undefined;
  let digits = whole + fraction;
  // Position of the decimal point within `digits`.
  let point = whole.length + (exponent === undefined ? 0 : Number(exponent));
  if (point < 0) {
    digits = "0".repeat(-point) + digits;
    point = 0;
  } else if (point > digits.length) {
    digits += "0".repeat(point - digits.length);
  }
  const intPart = digits.slice(0, point).replace(/^0+/, "") || "0";
  const fracPart = digits.slice(point).replace(/0+$/, "");
  const body = fracPart === "" ? intPart : `${intPart}.${fracPart}`;
  return sign === "-" && body !== "0" ? `-${body}` : body;
}

/** A canonical decimal rounded half away from zero to `places` decimals (still canonical). */
export function roundDecimal(canonical: string, places: number): string {
  if (!/^-?\d/.test(canonical)) return canonical;
  const negative = canonical.startsWith("-");
  const [intPart = "0", fracPart = ""] = (negative ? canonical.slice(1) : canonical).split(".");
  if (fracPart.length <= places) return canonical;
  const kept = intPart + fracPart.slice(0, places);
  const roundUp = fracPart.charCodeAt(places) >= 53;
  let digits = roundUp ? incrementDigits(kept) : kept;
  const intLength = digits.length - places;
  digits = `${digits.slice(0, intLength)}.${digits.slice(intLength)}`;
  return canonicalDecimal(negative ? `-${digits}` : digits) as string;
}

function incrementDigits(digits: string): string {
  const out = digits.split("");
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] === "9") {
      out[i] = "0";
    } else {
      out[i] = String(Number(out[i]) + 1);
      return out.join("");
    }
  }
  return `1${out.join("")}`;
}
