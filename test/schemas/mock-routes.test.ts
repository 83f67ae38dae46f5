import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generateProject } from "../../src/mock/dataset/generate.js";
import { RateLimit } from "../../src/mock/http/token-bucket.js";
import { TrafficStats } from "../../src/mock/http/traffic.js";
import { qtestApp } from "../../src/mock/qtest/app.js";
import { QTestStore } from "../../src/mock/qtest/store.js";
import { zephyrApp } from "../../src/mock/zephyr/app.js";
import { ZephyrStore } from "../../src/mock/zephyr/store.js";

/**
 * Dev-time conformance: every route a mock serves exists, with that method, in the vendor's
 * official spec. Skipped where the specs are absent (a user's clone has no ../shared).
 */
const reference = join(process.cwd(), "../shared/reference");
const zephyrSpec = join(reference, "zephyr-scale-cloud-v2.openapi.yml");
const qtestSpec = join(reference, "qtest-manager-v3.swagger.yaml");

/** Routes the 2025 copy of the Zephyr spec lacks but SmartBear's 2026 schemas document (docs/api-notes.md Z2, Z3). */
const zephyrNewerThanSpec = new Set(["GET /testcases/nextgen", "GET /testcycles/nextgen", "GET /testexecutions/nextgen"]);

function specRoutes(file: string, prefix = ""): Set<string> {
  const spec = parse(readFileSync(file, "utf8")) as { paths: Record<string, Record<string, unknown>> };
  const routes = new Set<string>();
  for (const [path, operations] of Object.entries(spec.paths)) {
    for (const method of Object.keys(operations)) {
      if (["get", "post", "put", "delete", "patch"].includes(method))
        routes.add(`${method.toUpperCase()} ${normalise(prefix + path)}`);
    }
  }
  return routes;
}

/** `/a/{x}/b` and `/a/:x/b` both become `/a/{}/b`. */
function normalise(path: string): string {
  return path.replace(/\{[^}]+\}|:[A-Za-z]+/g, "{}").replace(/\/$/, "");
}

function appRoutes(app: { routes: { method: string; path: string }[] }, strip = ""): string[] {
  return [
    ...new Set(
      app.routes
        .filter((r) => r.method !== "ALL")
        .map((r) => `${r.method} ${normalise(r.path.startsWith(strip) ? r.path.slice(strip.length) : r.path)}`),
    ),
  ];
}

describe.skipIf(!existsSync(zephyrSpec))("Zephyr mock routes", () => {
  it("are all in the official Zephyr Scale Cloud v2 spec", () => {
    const spec = specRoutes(zephyrSpec);
    const store = new ZephyrStore(generateProject({ testCases: 1 }), { baseUrl: "http://x/v2" });
    const routes = appRoutes(zephyrApp({ token: "t", store, stats: new TrafficStats(), rateLimit: new RateLimit() }), "/v2");
    expect(routes.length).toBeGreaterThan(30);
    const unknown = routes.filter((r) => !spec.has(r) && !zephyrNewerThanSpec.has(r));
    expect(unknown).toEqual([]);
  });
});

describe.skipIf(!existsSync(qtestSpec))("qTest mock routes", () => {
  it("are all in the official qTest Manager v3 Swagger", () => {
    const spec = specRoutes(qtestSpec);
    const store = new QTestStore({ origin: "http://x", projectId: 1 });
    const routes = appRoutes(
      qtestApp({ token: "t", username: "u", password: "p", store, stats: new TrafficStats(), rateLimit: new RateLimit() }),
    );
    expect(routes.length).toBeGreaterThan(40);
    const unknown = routes.filter((r) => !spec.has(r));
    expect(unknown).toEqual([]);
  });
});
