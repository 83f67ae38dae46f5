import { describe, expect, it } from "vitest";
import { BadInputError } from "../../errors.js";
import { expandEnv } from "./env.js";
import { headerSecrets, REDACTED, Redactor } from "./redact.js";
import { describeWritten, parseBaseUrl, requestUrl } from "./url.js";

describe("expandEnv", () => {
  it(`expands \${VAR} references and keeps their values as secrets`, () => {
    expect(expandEnv(`Bearer \${TOKEN}`, { TOKEN: "s3cr3t" }, "x")).toEqual({ value: "Bearer s3cr3t", secrets: ["s3cr3t"] });
    expect(expandEnv("plain $HOME", {}, "x")).toEqual({ value: "plain $HOME", secrets: [] });
  });

  it("names the setting and the variable, never a value, when a variable is not set", () => {
    expect(() => expandEnv(`\${MISSING}`, {}, 'check "api": header "authorization"')).toThrow(
      new BadInputError(`check "api": header "authorization" refers to \${MISSING}, which is not set in the environment`),
    );
  });
});

describe("redaction", () => {
  it("treats a credential header's value, and the token after its scheme, as secret", () => {
    expect(headerSecrets("Authorization", "Bearer abcd1234", [])).toEqual(["Bearer abcd1234", "abcd1234"]);
    expect(headerSecrets("accept", "application/json", [])).toEqual([]);
    expect(headerSecrets("x-tenant", `t-\${T}`, ["acme-corp"])).toEqual(["acme-corp"]);
  });

  it("replaces secrets anywhere in a difference, longest first, and leaves short values alone", () => {
    const redactor = new Redactor(["abcd1234", "Bearer abcd1234", "ab"]);
    expect(
      redactor.difference({ path: "$.echo", source: { auth: "Bearer abcd1234", list: ["xabcd1234x"] }, target: "ab" }),
    ).toEqual({ path: "$.echo", source: { auth: REDACTED, list: [`x${REDACTED}x`] }, target: "ab" });
  });
});

describe("URLs", () => {
  it("appends a request's path and query to the base's own path", () => {
    const base = parseBaseUrl("http://old:8080/api/", "source");
    expect(requestUrl(base, "/orders?status=open", "r")).toBe("http://old:8080/api/orders?status=open");
    expect(requestUrl(base, "orders", "r")).toBe("http://old:8080/api/orders");
  });

  it("refuses what is not an http(s) base URL, or holds credentials, naming the setting", () => {
    expect(() => parseBaseUrl("old:8080", 'check "a": source')).toThrow(/check "a": source must be an http or https URL/);
    expect(() => parseBaseUrl("not a url", 'check "a": target')).toThrow(/check "a": target is not a URL/);
    expect(() => parseBaseUrl("http://u:pw@old", "source")).toThrow(BadInputError);
    expect(() => parseBaseUrl("http://u:pw@old", "source")).not.toThrow(/pw/);
  });
});

describe(`a base URL holding \${VAR} references`, () => {
  it("is shown as written: references kept, credentials and secret-looking query values masked", () => {
    expect(describeWritten(`http://\${API_HOST}:8080/\${TENANT}/api/`)).toBe(`http://\${API_HOST}:8080/\${TENANT}/api`);
    expect(describeWritten(`http://old/api?key=\${KEY}&token=literal-token`)).toBe(`http://old/api?key=\${KEY}&token=redacted`);
    expect(describeWritten("http://u:pw@old/api")).toBe("http://old/api");
    expect(describeWritten(`\${BASE}/api`)).toBe(`\${BASE}/api`);
  });

  it("is refused naming the URL as written, never the values it expands to", () => {
    const written = `http://old/api?tenant=\${TENANT}`;
    const { value } = expandEnv(written, { TENANT: "acme-private-tenant" }, "source");
    expect(() => parseBaseUrl(value, 'check "a": source', written)).toThrow(
      new BadInputError(`check "a": source must hold no query or fragment: "http://old/api?tenant=\${TENANT}"`),
    );
    const host = expandEnv(`\${HOST}`, { HOST: "old:8080" }, "source");
    expect(() => parseBaseUrl(host.value, 'check "a": source', `\${HOST}`)).toThrow(
      new BadInputError(`check "a": source must be an http or https URL, got "\${HOST}"`),
    );
  });
});
