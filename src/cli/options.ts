import { InvalidArgumentError } from "commander";

/** A commander argument parser for numbers within bounds; its message names the flag and the range. */
export function numberOption(flag: string, bounds: { min?: number; max?: number; integer?: boolean } = {}) {
  return (raw: string): number => {
    const value = Number(raw);
    const kind = bounds.integer ? "a whole number" : "a number";
    const range =
      bounds.min !== undefined && bounds.max !== undefined
        ? ` from ${bounds.min} to ${bounds.max}`
        : bounds.min !== undefined
          ? ` of at least ${bounds.min}`
          : "";
    const ok =
      raw.trim() !== "" &&
      Number.isFinite(value) &&
      (!bounds.integer || Number.isInteger(value)) &&
      (bounds.min === undefined || value >= bounds.min) &&
      (bounds.max === undefined || value <= bounds.max);
    if (!ok) throw new InvalidArgumentError(`${flag} takes ${kind}${range}; got '${raw}'.`);
    return value;
  };
}
