import { describe, expect, it } from "vitest";
import { failureReason } from "./send.js";

const wrapped = (cause: unknown) => new TypeError("fetch failed", { cause });
const coded = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:9`), { code });

describe("failureReason", () => {
  it("names refused connections, resets and timeouts however undici wraps them", () => {
    expect(failureReason(wrapped(coded("ECONNREFUSED")), 5000)).toBe("connection refused");
    expect(failureReason(wrapped(new AggregateError([coded("ECONNREFUSED")])), 5000)).toBe("connection refused");
    expect(failureReason(wrapped(coded("ECONNRESET")), 5000)).toBe("connection reset");
    expect(failureReason(new DOMException("The operation timed out.", "TimeoutError"), 2500)).toBe("timed out after 2.5 s");
  });

  it("keeps any URL out of an unknown failure's reason", () => {
    expect(failureReason(wrapped(new Error("bad port for http://127.0.0.1:1/a?token=x")), 1000)).toBe(
      "network error (bad port for (url))",
    );
  });
});
