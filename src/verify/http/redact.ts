/**
 * Keeps the check's credentials out of what it reports. A header value the check sends may come back
 * (a service that echoes its request, an error page quoting the token), and a finding would then
 * carry it into the report, the job summary and a PR comment; every such value is replaced first.
 */
import type { Difference } from "../../report/verification-report.js";

export const REDACTED = "[redacted]";

/** Header names whose values are credentials even when written in the checks file itself. */
const SENSITIVE_HEADER = /auth|cookie|token|secret|key|passw|session|credential|signature/i;

/** Values this short would mangle ordinary text if replaced; no real credential is this short. */
const SHORTEST_SECRET = 4;

/** The secrets in one header sent: the environment values in it, and its whole value when its name says credential. */
export function headerSecrets(name: string, value: string, fromEnvironment: readonly string[]): string[] {
  if (!SENSITIVE_HEADER.test(name)) return [...fromEnvironment];
  // `Bearer abc`: the token alone may be echoed without its scheme.
  const credential = value.trim().split(/\s+/).at(-1) ?? "";
  return [...fromEnvironment, value, credential];
}

export class Redactor {
  readonly #secrets: string[];

  constructor(secrets: Iterable<string>) {
    // Longest first, so a secret containing another is replaced whole.
    this.#secrets = [...new Set(secrets)].filter((s) => s.length >= SHORTEST_SECRET).sort((a, b) => b.length - a.length);
  }

  text(value: string): string {
    let out = value;
    for (const secret of this.#secrets) out = out.replaceAll(secret, REDACTED);
    return out;
  }

  value(value: unknown): unknown {
    if (this.#secrets.length === 0) return value;
    if (typeof value === "string") return this.text(value);
    if (Array.isArray(value)) return value.map((v) => this.value(v));
    if (typeof value === "object" && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [this.text(k), this.value(v)]));
    }
    return value;
  }

  difference(d: Difference): Difference {
    return { path: this.text(d.path), source: this.value(d.source), target: this.value(d.target) };
  }
}
