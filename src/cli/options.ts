import { InvalidArgumentError } from "commander";

/**
 * The ranges of the numbers `ztoq mock` and `ztoq demo` take. A generated project lives in memory
 * (100,000 test cases, with their cycles and executions, take about 1.5 GB); a latency or a rate
 * becomes a timer delay, which Node cannot hold beyond 2^31-1 ms; a seed is used as 32 bits.
 */
export const MOCK_LIMITS = {
  generate: { min: 1, max: 100_000, integer: true },
  seed: { min: 0, max: 4_294_967_295, integer: true },
  latency: { min: 0, max: 60_000 },
  rateLimit: { min: 0.01, max: 10_000 },
  port: { min: 0, max: 65_535, integer: true },
} as const;

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
