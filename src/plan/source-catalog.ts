/**
 * Which keys of each Zephyr entity ZTOQ reads, and what each becomes in qTest: the catalog the
 * not-carried rules (`not-carried.ts`) judge a source entity against. A key not listed here is not
 * read, so whatever value it holds — a field SmartBear adds tomorrow included — is reported as not
 * carried. When a plan starts reading a key, its entry belongs here, or the report keeps listing it.
 */

/** The Zephyr entity types the not-carried section reports on (Zephyr's names: what the source holds). */
export const SOURCE_ENTITIES = ["testCase", "testStep", "testCycle", "testPlan", "testExecution"] as const;
export type SourceEntity = (typeof SOURCE_ENTITIES)[number];

export interface EntityCatalog {
  /** Top-level keys ZTOQ reads → what they become (for the reader; the rules only test membership). */
  read: Readonly<Record<string, string>>;
  /**
   * Keys holding an object judged key by key (links, a step's parts) → its sub-keys ZTOQ reads. A
   * sub-key not listed, holding a value, is not carried (`links.testPlans`).
   */
  perSubKey: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/**
 * Keys that name or address an entity rather than hold content: reporting them as lost would list
 * every entity for what qTest replaces by its own ids (the key itself is carried, as the marker, by
 * every entity ZTOQ migrates).
 */
export const IDENTITY_KEYS: ReadonlySet<string> = new Set(["id", "key", "self", "project"]);

/** Keys the rules judge themselves, on every entity type (values per name, items per attachment). */
export const RULED_KEYS: ReadonlySet<string> = new Set(["customFields", "attachments"]);

export const SOURCE_CATALOG: Readonly<Record<SourceEntity, EntityCatalog>> = {
  testCase: {
    read: {
      key: "marker field",
      name: "test case name",
      objective: "description",
      precondition: "precondition",
      estimatedTime: "'Zephyr Estimated Time'",
      labels: "'Zephyr Labels'",
      component: "'Zephyr Component' (its id)",
      priority: "Priority",
      status: "Status",
      folder: "module",
      owner: "Assigned To",
      testScript: "test steps (the script as one step)",
    },
    perSubKey: {
      links: {
        issues: "requirement links (coverage); other types 'Zephyr Links' (as text)",
        webLinks: "'Zephyr Links' (as text)",
      },
    },
  },
  testStep: {
    read: {},
    perSubKey: {
      inline: {
        description: "step description",
        testData: "step description (test data)",
        expectedResult: "step expected result",
      },
      testCase: { testCaseKey: "called test case", parameters: "parameter values" },
    },
  },
  testCycle: {
    read: {
      key: "marker field",
      name: "test suite name",
      status: "Status",
      folder: "test cycle",
      description: "Description",
      plannedStartDate: "Planned Start Date",
      plannedEndDate: "Planned End Date",
      owner: "Assigned To",
    },
    // Coverage links become requirement → test run links; the rest of a cycle's links is not read.
    perSubKey: { links: { issues: "requirement → test run links (coverage); other types not carried" } },
  },
  testPlan: {
    read: {
      key: "release marker field",
      name: "release name",
      objective: "release description",
      status: "'Zephyr Status' (its name)",
      owner: "'Zephyr Owner' (the account id)",
      labels: "'Zephyr Labels'",
    },
    perSubKey: {
      links: {
        webLinks: "'Zephyr Links' (as text)",
        issues: "release → requirement links (its scope)",
        testCycles: "release → test run links (the runs of the cycle)",
      },
    },
  },
  testExecution: {
    read: {
      key: "marker field",
      testCase: "test run (its test case)",
      testCycle: "test run (its test suite)",
      testExecutionStatus: "test log status",
      actualEndDate: "test log end date",
      executionTime: "test log start date (end less duration)",
      comment: "test log note",
      environment: "Environment",
    },
    perSubKey: { links: {} },
  },
};
