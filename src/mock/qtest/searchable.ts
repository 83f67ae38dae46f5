import type { Property } from "../../qtest/schemas.js";
import { QTestApiError } from "./errors.js";
import type { Releases } from "./releases.js";
import type { Requirements } from "./requirements.js";
import { iso, type Site } from "./site.js";
import type { TestCases } from "./test-cases.js";
import type { TestCycles } from "./test-cycles.js";
import type { TestLogs } from "./test-logs.js";
import type { TestRuns } from "./test-runs.js";
import type { TestSuites } from "./test-suites.js";

/** An object as `POST /search` returns it, and how to read a criterion's value from it. */
export interface Searchable {
  item: object;
  value: (criterion: string) => string | undefined;
}

/** The objects of one type with their searchable values, for `POST /search`. */
export function searchable(
  site: Site,
  entities: {
    testCases: TestCases;
    testRuns: TestRuns;
    testSuites: TestSuites;
    testCycles: TestCycles;
    testLogs: TestLogs;
    requirements: Requirements;
    releases: Releases;
  },
  objectType: string,
): Searchable[] {
  const { records } = site;
  const stamps = (r: { pid: string; created: number; modified: number }) => ({
    pid: r.pid,
    "created date": iso(r.created),
    "last modified date": iso(r.modified),
  });
  switch (objectType) {
    case "test-cases":
      return records.testCases.values().map((t) => withProps(entities.testCases.render(t, false), stamps(t)));
    case "test-runs":
      return records.testRuns.values().map((r) => withProps(entities.testRuns.render(r), stamps(r)));
    case "test-suites":
      return records.testSuites.values().map((s) => withProps(entities.testSuites.render(s), stamps(s)));
    case "test-cycles":
      return records.testCycles.values().map((c) => withProps(entities.testCycles.render(c, false), stamps(c)));
    case "test-logs":
      return records.testLogs.values().map((l) =>
        withProps(entities.testLogs.render(l), {
          "execution start date": l.exeStart,
          "execution end date": l.exeEnd,
          "last modified date": iso(l.modified),
          "test run id": String(site.tree.parent("test-log", l.id).id),
        }),
      );
    // Search results carry a requirement's external properties, as the contract of issue 20 has it.
    case "requirements":
      return records.requirements.values().map((r) => withProps(entities.requirements.render(r, true), stamps(r)));
    case "releases":
      return records.releases.values().map((r) => withProps(entities.releases.render(r), stamps(r)));
    case "builds":
    case "defects":
      return [];
    default:
      throw new QTestApiError(400, `object_type '${objectType}' cannot be searched.`);
  }
}

function withProps(
  item: { properties?: Property[] | null; id: number; name?: string | null },
  extra: Record<string, string>,
): Searchable {
  return {
    item,
    value: (criterion: string) => {
      const key = criterion.toLowerCase();
      if (key in extra) return extra[key];
      if (key === "id") return String(item.id);
      if (key === "name") return item.name ?? undefined;
      // The Swagger allows a field's name or its id as the criterion.
      const property = item.properties?.find((p) => p.field_name?.toLowerCase() === key || String(p.field_id) === key);
      return property ? String(property.field_value_name ?? property.field_value ?? "") : undefined;
    },
  };
}
