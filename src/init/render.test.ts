import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { configFileSchema } from "../config/schema.js";
import { countCustomFields, emptyUsage } from "../mapping/source-usage.js";
import { FieldDataType } from "../qtest/field-data-type.js";
import type { Field } from "../qtest/schemas.js";
import { Observations } from "./observed.js";
import { type ProposalInput, propose } from "./propose.js";
import { renderProposal } from "./render.js";

function field(id: number, label: string, allowed: string[]): Field {
  return {
    id,
    label,
    required: false,
    constrained: false,
    order: 0,
    allowed_values: allowed.map((value, index) => ({ value: id * 10 + index, label: value })),
    multiple: false,
    data_type: FieldDataType.comboBox,
    searchable: true,
    system_field: true,
    original_name: label,
    is_active: true,
  };
}

const ACCOUNT = "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077";

function proposalInput(options: { users?: { id: number; username: string }[]; observed?: Observations } = {}): ProposalInput {
  const usage = emptyUsage();
  usage.counts = { testCases: 3, testCycles: 1, testExecutions: 2 };
  usage.choices.testCaseStatus = new Map([["1", 3]]);
  usage.choices.testCycleStatus = new Map([["2", 1]]);
  usage.choices.priority = new Map([["3", 3]]);
  usage.executionStatuses = new Map([["4", 2]]);
  usage.users = new Map([[ACCOUNT, { uses: 3, places: new Set(["Assigned To of test-cases"]) }]]);
  countCustomFields(usage, { Implemented: true, "Release Date": "2025-01-02" });
  countCustomFields(usage, { Implemented: false, "Release Date": null });
  return {
    zephyr: { url: "https://api.zephyrscale.smartbear.com/v2", projectKey: "QA" },
    qtest: { url: "https://example.qtestnet.com", projectId: 12 },
    markerField: "Zephyr Key",
    usage,
    traceability: { testPlans: 2, coverageLinks: 5, issues: 4, withoutRequirement: 1 },
    names: {
      choices: {
        testCaseStatus: [{ id: 1, name: "Draft" }],
        testCycleStatus: [{ id: 2, name: "Not Executed" }],
        priority: [{ id: 3, name: "true" }],
        environment: [{ id: 5, name: "Mainframe" }],
      },
      executionStatuses: [{ id: 4, name: "Retest" }],
    },
    target: {
      fields: {
        "test-cases": [field(1, "Status", ["New", "Approved"]), field(2, "Priority", ["Yes", "No"])],
        "test-suites": [field(3, "Status", ["New", "Done"])],
        "test-runs": [field(4, "Environment", ["Chrome"])],
      },
      executionStatuses: [
        { id: 601, name: "Passed" },
        { id: 602, name: "Failed" },
      ],
      users: options.users ?? [{ id: 9, username: "ann@example.com" }],
    },
    observed: options.observed ?? new Observations(),
  };
}

/** What a person does with the template: uncomment `users:` and an account's line, and name a user. */
function uncomment(text: string): string {
  return text
    .split("\n")
    .map((line) => (/^\s*# (users:|\s*".*": "")/.test(line) ? line.replace("# ", "").replace('""', '"ann@example.com"') : line))
    .join("\n");
}

describe("rendering the proposal", () => {
  const text = renderProposal(propose(proposalInput()));
  const parsed = configFileSchema.parse(YAML.parse(text));

  it("writes a configuration the schema takes, with connection settings and no secret", () => {
    expect(parsed.zephyr).toMatchObject({ url: "https://api.zephyrscale.smartbear.com/v2", projectKey: "QA" });
    expect(parsed.qtest).toMatchObject({ url: "https://example.qtestnet.com", projectId: 12 });
    expect(text).not.toMatch(/token:|password:/i);
    expect(parsed.mapping).toMatchObject({
      createMissingValues: true,
      unmappedUsers: "keep",
      statuses: { testCase: { Draft: "New" }, testCycle: {}, testExecution: { Retest: "Passed" } },
      // A Zephyr value that YAML would read as a boolean stays a string key.
      priorities: { true: "Yes" },
      environments: {},
      users: {},
      customFields: {
        Implemented: { field: "Implemented", type: "checkbox", create: true },
        "Release Date": { field: "Release Date", type: "date", create: true },
      },
    });
  });

  it("proposes requirements.create: false, saying how many linked Jira issues qTest lacks a requirement for", () => {
    const config = YAML.parse(text) as { mapping: { requirements: { create: boolean } } };
    expect(config.mapping.requirements).toEqual({ create: false });
    expect(text).toContain("# 1 of the 4 Jira issues the links name have no qTest requirement: create: true makes one each");
    expect(text).toContain("# 2 test plans become releases; 5 coverage links name 4 Jira issues");
  });

  it("says beside each value why, and what else qTest allows", () => {
    expect(text).toContain("Draft: New # synonym; or: Approved");
    expect(text).toContain("Retest: Passed # nothing close, and qTest cannot add one: the closest — check this; or: Failed");
    expect(text).toMatch(/'Not Executed' \(used 1×\): no close value in Status of test-suites; left out, so preflight adds it/);
    expect(text).toMatch(/'Mainframe' \(not used yet\): no close value in Environment of test-runs; left out/);
    expect(text).toMatch(/# seen 2×, 2 distinct: true, false\n\s+# qTest has no such test-case field: preflight creates it/);
  });

  it("lists each unmatched account with its uses and a users: line to uncomment", () => {
    expect(text).toContain(`#   "${ACCOUNT}": ""   # used 3× in Assigned To of test-cases`);
    expect(parsed.mapping.users).toEqual({});
    expect(configFileSchema.parse(YAML.parse(uncomment(text))).mapping.users).toEqual({ [ACCOUNT]: "ann@example.com" });
  });

  it("puts the unmatched accounts' lines among the matched ones, ready to uncomment", () => {
    const other = "5b10a2844c20165700ede2aa";
    const input = proposalInput({ users: [{ id: 9, username: other }] });
    input.usage.users.set(other, { uses: 1, places: new Set(["Assigned To of test-suites"]) });
    const mixed = renderProposal(propose(input));
    expect(configFileSchema.parse(YAML.parse(mixed)).mapping.users).toEqual({ [other]: other });
    expect(configFileSchema.parse(YAML.parse(uncomment(mixed))).mapping.users).toEqual({
      [other]: other,
      [ACCOUNT]: "ann@example.com",
    });
  });

  it("maps the accounts a user is tied to, and then fails on unmapped ones", () => {
    const tied = propose(proposalInput({ users: [{ id: 9, username: ACCOUNT }] }));
    const tiedText = renderProposal(tied);
    expect(configFileSchema.parse(YAML.parse(tiedText)).mapping).toMatchObject({
      users: { [ACCOUNT]: ACCOUNT },
      unmappedUsers: "fail",
    });
    expect(tiedText).toContain("qTest username or e-mail equal to the account id; used 3× in Assigned To of test-cases");
  });

  it("says which values repeat an earlier migration", () => {
    const observed = new Observations();
    observed.paired.testCases = 3;
    observed.record("testCycleStatus", "Not Executed", "Done");
    observed.record("testCycleStatus", "Not Executed", "New");
    observed.record("testCycleStatus", "Not Executed", "Done");
    const again = renderProposal(propose(proposalInput({ observed })));
    expect(again).toContain("Not Executed: Done # as migrated (2×); also seen: New (1×) — check this; or: New");
    expect(again).toContain('"as migrated": what the 3 test cases, 0 test suites and 0 test logs');
  });
});
