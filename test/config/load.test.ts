import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { configJsonSchema } from "../../src/config/json-schema.js";
import { loadConfig, withoutSecrets } from "../../src/config/load.js";
import {
  expectBadInput,
  fullEnv,
  minimalYaml,
  QTEST_PASSWORD,
  QTEST_TOKEN,
  SECRETS,
  tokensOnly,
  workingDirectory,
  ZEPHYR_TOKEN,
} from "./support.js";

const exampleFile = join(import.meta.dirname, "../../ztoq.config.example.yml");

const cwd = workingDirectory();
const { write, load } = cwd;

describe("loadConfig: sources", () => {
  it("runs on environment variables alone, with every default", async () => {
    const config = await load({ env: fullEnv });
    expect(config).toEqual({
      zephyr: {
        url: "https://api.zephyrscale.smartbear.com/v2",
        projectKey: "QA",
        timeoutSeconds: 30,
        token: ZEPHYR_TOKEN,
      },
      qtest: {
        url: "https://qtest.example.com",
        projectId: 42,
        timeoutSeconds: 30,
        auth: { kind: "token", token: QTEST_TOKEN },
      },
      state: ".ztoq/state.db",
      migration: { concurrency: 8, retries: 5, leaseSeconds: 300, waitSeconds: 0, callToTest: "call", attachments: "skip" },
      mapping: {
        markerField: "Zephyr Key",
        statuses: { testCase: {}, testCycle: {}, testExecution: {} },
        priorities: {},
        environments: {},
        users: {},
        unmappedUsers: "fail",
        createMissingValues: false,
        customFields: {},
        requirements: { create: false, module: "Jira Requirements" },
      },
      jira: undefined,
      report: { dir: ".ztoq/reports" },
      source: { file: null },
    });
  });

  it("takes Jira as a URL with an account e-mail and token, all three or none, each missing one named", async () => {
    const jiraEnv = {
      ZTOQ_JIRA_URL: "https://example.atlassian.net",
      ZTOQ_JIRA_EMAIL: "qa@example.com",
      ZTOQ_JIRA_TOKEN: "jira-secret-1",
    };
    const config = await load({ env: { ...fullEnv, ...jiraEnv } });
    expect(config.jira).toEqual({
      url: "https://example.atlassian.net",
      timeoutSeconds: 30,
      auth: { email: "qa@example.com", token: "jira-secret-1" },
    });
    expect(JSON.stringify(withoutSecrets(config))).not.toContain("jira-secret-1");
    await expectBadInput(
      load({ env: { ...fullEnv, ZTOQ_JIRA_URL: jiraEnv.ZTOQ_JIRA_URL, ZTOQ_JIRA_EMAIL: jiraEnv.ZTOQ_JIRA_EMAIL } }),
      "jira.url is set but Jira has no credentials: set ZTOQ_JIRA_TOKEN (or the jira-token input)",
    );
    await expectBadInput(
      load({ env: { ...fullEnv, ZTOQ_JIRA_TOKEN: "jira-secret-1" } }),
      "Jira credentials are set but no Jira URL: set jira.url in the config file or ZTOQ_JIRA_URL (or the jira-url input), or unset ZTOQ_JIRA_EMAIL and ZTOQ_JIRA_TOKEN",
    );
  });

  it("reads ./ztoq.config.yml, ./ztoq.config.yaml or ./ztoq.config.json from cwd", async () => {
    const yml = await write("ztoq.config.yml", minimalYaml);
    expect((await load({ env: tokensOnly })).source.file).toBe(yml);
    await rm(yml);

    const yaml = await write("ztoq.config.yaml", minimalYaml.replace("projectId: 7", "projectId: 8"));
    const fromYaml = await load({ env: tokensOnly });
    expect(fromYaml.source.file).toBe(yaml);
    expect(fromYaml.qtest.projectId).toBe(8);
    await rm(yaml);

    const json = await write(
      "ztoq.config.json",
      JSON.stringify(
        {
          $schema: "./schemas/ztoq.config.schema.json",
          zephyr: { projectKey: "QA2" },
          qtest: { url: "https://qtest.example.com", projectId: 9 },
          migration: { concurrency: 3 },
        },
        null,
        "\t",
      ),
    );
    const fromJson = await load({ env: tokensOnly });
    expect(fromJson.source.file).toBe(json);
    expect(fromJson.zephyr.projectKey).toBe("QA2");
    expect(fromJson.migration.concurrency).toBe(3);
    expect(fromJson).not.toHaveProperty("$schema");
  });

  it("refuses to guess between two default config files", async () => {
    await write("ztoq.config.yml", minimalYaml);
    await write("ztoq.config.json", "{}");
    await expectBadInput(
      load({ env: fullEnv }),
      "Found ztoq.config.yml and ztoq.config.json: keep one config file, or name the one to use with ZTOQ_CONFIG or --config",
    );
  });

  it("reads the file named by ZTOQ_CONFIG (relative to cwd), and options.path before it", async () => {
    await write("ztoq.config.yml", minimalYaml.replace("QA", "DEFAULT"));
    const named = await write("configs/prod.yml", minimalYaml.replace("QA", "PROD"));
    const other = await write("configs/other.yaml", minimalYaml.replace("QA", "OTHER"));

    const fromEnv = await load({ env: { ...tokensOnly, ZTOQ_CONFIG: "configs/prod.yml" } });
    expect(fromEnv.zephyr.projectKey).toBe("PROD");
    expect(fromEnv.source.file).toBe(named);

    const fromOption = await load({ path: other, env: { ...tokensOnly, ZTOQ_CONFIG: "configs/prod.yml" } });
    expect(fromOption.zephyr.projectKey).toBe("OTHER");
  });

  it("fails when a named config file does not exist", async () => {
    await expectBadInput(
      load({ env: { ...fullEnv, ZTOQ_CONFIG: "missing.yml" } }),
      "Config file missing.yml not found (from ZTOQ_CONFIG)",
    );
    await expectBadInput(load({ path: "nope/ztoq.yml", env: fullEnv }), "Config file nope/ztoq.yml not found");
  });

  it("treats an empty file as an empty config", async () => {
    await write("ztoq.config.yml", "# nothing yet\n");
    const config = await load({ env: fullEnv });
    expect(config.migration.concurrency).toBe(8);
  });

  it("accepts the committed example, which sets every option", async () => {
    const jiraAccount = { ZTOQ_JIRA_EMAIL: "qa@example.com", ZTOQ_JIRA_TOKEN: "jira-secret-1" };
    const config = await loadConfig({ path: exampleFile, env: { ...tokensOnly, ...jiraAccount }, cwd: cwd.path });
    expect(config.zephyr.projectKey).toBe("QA");
    expect(config.jira?.url).toBe("https://example.atlassian.net");
    expect(config.qtest.projectId).toBe(12345);
    expect(config.mapping.customFields["Legacy Id"]).toEqual({ ignore: true });
    expect(config.mapping.users["557058:f58131cb-b67d-43c7-b30d-6b58d40bd077"]).toBe(10245);

    const raw = YAML.parse(await readFile(exampleFile, "utf8")) as Record<string, unknown>;
    const missing: string[] = [];
    const visit = (schema: Record<string, unknown>, value: unknown, path: string) => {
      const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
      for (const [key, property] of Object.entries(properties)) {
        if (key === "$schema") continue;
        const child = (value as Record<string, unknown> | undefined)?.[key];
        if (child === undefined) missing.push(`${path}${key}`);
        else visit(property, child, `${path}${key}.`);
      }
    };
    visit(configJsonSchema(), raw, "");
    expect(missing, "options missing from ztoq.config.example.yml").toEqual([]);
  });
});

describe("loadConfig: precedence (overrides > environment > file > defaults)", () => {
  const fileText = `
zephyr:
  url: https://file.example.com/v2
  projectKey: FILE
qtest:
  url: https://qtest-file.example.com
  projectId: 1
state: file-state.db
migration:
  concurrency: 4
mapping:
  statuses:
    testCase:
      Draft: New
      Approved: Approved
`;

  it("takes each value from the highest source that sets it", async () => {
    await write("ztoq.config.yml", fileText);
    const env = {
      ...tokensOnly,
      ZTOQ_ZEPHYR_URL: "https://env.example.com/v2",
      ZTOQ_ZEPHYR_PROJECT: "ENV",
      ZTOQ_STATE: "postgres://ztoq:pg-pass-VALUE@db.example.com/ztoq",
    };
    const config = await load({
      env,
      overrides: {
        zephyr: { url: "https://flag.example.com/v2" },
        migration: { retries: 2 },
        mapping: { statuses: { testCase: { Draft: "Draft (flag)" } } },
      },
    });
    expect(config.zephyr.url).toBe("https://flag.example.com/v2"); // override > env > file
    expect(config.zephyr.projectKey).toBe("ENV"); // env > file
    expect(config.state).toBe("postgres://ztoq:pg-pass-VALUE@db.example.com/ztoq"); // env > file (a password is fine there)
    expect(config.qtest.url).toBe("https://qtest-file.example.com"); // file > nothing
    expect(config.migration).toMatchObject({ concurrency: 4, retries: 2, attachments: "skip" }); // file, override, default
    expect(config.mapping.statuses.testCase).toEqual({ Draft: "Draft (flag)", Approved: "Approved" }); // merged per entry
    expect(config.zephyr.rateLimit).toBeUndefined(); // default: the pace is found while running
  });

  it("falls back level by level", async () => {
    await write("ztoq.config.yml", fileText);
    const override = { zephyr: { url: "https://flag.example.com/v2" } };
    const env = { ...tokensOnly, ZTOQ_ZEPHYR_URL: "https://env.example.com/v2" };
    expect((await load({ env, overrides: override })).zephyr.url).toBe("https://flag.example.com/v2");
    expect((await load({ env })).zephyr.url).toBe("https://env.example.com/v2");
    expect((await load({ env: tokensOnly })).zephyr.url).toBe("https://file.example.com/v2");
    await write("ztoq.config.yml", fileText.replace("  url: https://file.example.com/v2\n", ""));
    expect((await load({ env: tokensOnly })).zephyr.url).toBe("https://api.zephyrscale.smartbear.com/v2");
  });

  it("ignores unset overrides and blank environment variables", async () => {
    await write("ztoq.config.yml", fileText);
    const config = await load({
      env: { ...tokensOnly, ZTOQ_ZEPHYR_URL: "", ZTOQ_QTEST_PROJECT: "  " },
      overrides: { zephyr: { url: undefined, projectKey: "" }, state: undefined, migration: { concurrency: undefined } },
    });
    expect(config.zephyr.url).toBe("https://file.example.com/v2");
    expect(config.zephyr.projectKey).toBe("FILE");
    expect(config.qtest.projectId).toBe(1);
    expect(config.state).toBe("file-state.db");
    expect(config.migration.concurrency).toBe(4);
  });

  it("replaces a custom field mapping as a whole", async () => {
    await write(
      "ztoq.config.yml",
      `${minimalYaml}mapping:\n  customFields:\n    Build: { field: Build, type: select, values: { a: A } }\n`,
    );
    const config = await load({ env: tokensOnly, overrides: { mapping: { customFields: { Build: { ignore: true } } } } });
    expect(config.mapping.customFields.Build).toEqual({ ignore: true });
  });
});

describe("loadConfig: credentials", () => {
  it("uses username + password when no qTest token is set, and a token over them", async () => {
    const base = { ...fullEnv, ZTOQ_QTEST_TOKEN: undefined, ZTOQ_QTEST_USERNAME: "jane", ZTOQ_QTEST_PASSWORD: QTEST_PASSWORD };
    expect((await load({ env: base })).qtest.auth).toEqual({ kind: "password", username: "jane", password: QTEST_PASSWORD });
    expect((await load({ env: { ...base, ZTOQ_QTEST_TOKEN: QTEST_TOKEN } })).qtest.auth).toEqual({
      kind: "token",
      token: QTEST_TOKEN,
    });
  });

  it("takes tokens from overrides first, trimmed and without a pasted Bearer prefix", async () => {
    const config = await load({
      env: { ...fullEnv, ZTOQ_ZEPHYR_TOKEN: ` ${ZEPHYR_TOKEN}\n` },
      overrides: { qtest: { token: `Bearer ${QTEST_TOKEN}` } },
    });
    expect(config.zephyr.token).toBe(ZEPHYR_TOKEN);
    expect(config.qtest.auth).toEqual({ kind: "token", token: QTEST_TOKEN });
  });

  it("fails without a Zephyr token", async () => {
    await expectBadInput(
      load({ env: { ...fullEnv, ZTOQ_ZEPHYR_TOKEN: undefined } }),
      "No Zephyr token: set ZTOQ_ZEPHYR_TOKEN (or the zephyr-token input)",
    );
    await expectBadInput(load({ env: { ...fullEnv, ZTOQ_ZEPHYR_TOKEN: " " } }), /^No Zephyr token/);
  });

  it("fails without qTest credentials, or with half of them", async () => {
    await expectBadInput(
      load({ env: { ...fullEnv, ZTOQ_QTEST_TOKEN: undefined } }),
      "No qTest credentials: set ZTOQ_QTEST_TOKEN (or the qtest-token input), or ZTOQ_QTEST_USERNAME and ZTOQ_QTEST_PASSWORD (or the qtest-username and qtest-password inputs)",
    );
    await expectBadInput(
      load({ env: { ...fullEnv, ZTOQ_QTEST_TOKEN: undefined, ZTOQ_QTEST_USERNAME: "jane" } }),
      "A qTest username is set but no password: set ZTOQ_QTEST_PASSWORD (or the qtest-password input), or use ZTOQ_QTEST_TOKEN instead",
    );
    await expectBadInput(
      load({ env: { ...fullEnv, ZTOQ_QTEST_TOKEN: undefined, ZTOQ_QTEST_PASSWORD: QTEST_PASSWORD } }),
      /^A qTest password is set but no username/,
    );
  });

  it("keeps secrets out of withoutSecrets()", async () => {
    const config = await load({
      env: { ...fullEnv, ZTOQ_QTEST_TOKEN: undefined, ZTOQ_QTEST_USERNAME: "jane", ZTOQ_QTEST_PASSWORD: QTEST_PASSWORD },
    });
    const text = JSON.stringify(withoutSecrets(config));
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    expect(withoutSecrets(config).qtest.auth).toEqual({ kind: "password", username: "jane" });
  });
});
