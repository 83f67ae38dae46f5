import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import YAML from "yaml";
import { configJsonSchema } from "../../src/config/json-schema.js";
import { type LoadConfigOptions, loadConfig, withoutSecrets } from "../../src/config/load.js";
import { BadInputError } from "../../src/errors.js";

const ZEPHYR_TOKEN = "zephyr-token-VALUE-1234";
const QTEST_TOKEN = "qtest-token-VALUE-5678";
const QTEST_PASSWORD = "qtest-password-VALUE-9012";
const SECRETS = [ZEPHYR_TOKEN, QTEST_TOKEN, QTEST_PASSWORD, "s3cr3t-in-file", "pg-pass-VALUE"];

/** Enough for a run with no file at all. */
const fullEnv = {
  ZTOQ_ZEPHYR_TOKEN: ZEPHYR_TOKEN,
  ZTOQ_ZEPHYR_PROJECT: "QA",
  ZTOQ_QTEST_URL: "https://qtest.example.com",
  ZTOQ_QTEST_TOKEN: QTEST_TOKEN,
  ZTOQ_QTEST_PROJECT: "42",
} satisfies NodeJS.ProcessEnv;

const tokensOnly = { ZTOQ_ZEPHYR_TOKEN: ZEPHYR_TOKEN, ZTOQ_QTEST_TOKEN: QTEST_TOKEN } satisfies NodeJS.ProcessEnv;

const exampleFile = join(import.meta.dirname, "../../ztoq.config.example.yml");

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "ztoq-config-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await mkdir(join(path, ".."), { recursive: true });
  await writeFile(path, text);
  return path;
}

function load(options: Omit<LoadConfigOptions, "cwd"> = {}) {
  return loadConfig({ cwd: dir, env: {}, ...options });
}

/** Rejects with a BadInputError whose message is exactly one line, free of secrets, and matches. */
async function expectBadInput(promise: Promise<unknown>, expected: string | RegExp): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(BadInputError);
  const message = (error as BadInputError).message;
  expect((error as BadInputError).exitCode).toBe(2);
  expect(message).not.toContain("\n");
  for (const secret of SECRETS) expect(message).not.toContain(secret);
  if (typeof expected === "string") expect(message).toBe(expected);
  else expect(message).toMatch(expected);
  return message;
}

const minimalYaml = `zephyr:\n  projectKey: QA\nqtest:\n  url: https://qtest.example.com\n  projectId: 7\n`;

describe("loadConfig: sources", () => {
  it("runs on environment variables alone, with every default", async () => {
    const config = await load({ env: fullEnv });
    expect(config).toEqual({
      zephyr: {
        url: "https://api.zephyrscale.smartbear.com/v2",
        projectKey: "QA",
        rateLimit: 10,
        timeoutSeconds: 30,
        token: ZEPHYR_TOKEN,
      },
      qtest: {
        url: "https://qtest.example.com",
        projectId: 42,
        rateLimit: 10,
        timeoutSeconds: 30,
        auth: { kind: "token", token: QTEST_TOKEN },
      },
      state: ".ztoq/state.db",
      migration: { concurrency: 8, retries: 5, leaseSeconds: 300, callToTest: "call", attachments: "upload" },
      mapping: {
        markerField: "Zephyr Key",
        statuses: { testCase: {}, testCycle: {}, testExecution: {} },
        priorities: {},
        environments: {},
        users: {},
        customFields: {},
      },
      report: { dir: "." },
      source: { file: null },
    });
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
          migration: { callToTest: "inline" },
        },
        null,
        "\t",
      ),
    );
    const fromJson = await load({ env: tokensOnly });
    expect(fromJson.source.file).toBe(json);
    expect(fromJson.zephyr.projectKey).toBe("QA2");
    expect(fromJson.migration.callToTest).toBe("inline");
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
    const config = await loadConfig({ path: exampleFile, env: tokensOnly, cwd: dir });
    expect(config.zephyr.projectKey).toBe("QA");
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
    expect(config.migration).toMatchObject({ concurrency: 4, retries: 2, attachments: "upload" }); // file, override, default
    expect(config.mapping.statuses.testCase).toEqual({ Draft: "Draft (flag)", Approved: "Approved" }); // merged per entry
    expect(config.zephyr.rateLimit).toBe(10); // default
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

describe("loadConfig: bad input", () => {
  it("names the line of a YAML syntax error", async () => {
    await write("ztoq.config.yml", "zephyr:\n  projectKey: QA\n qtest: {\n");
    await expectBadInput(load({ env: fullEnv }), /^ztoq\.config\.yml: invalid YAML at line 3, column \d+: .+/);

    await write("ztoq.config.yml", "zephyr:\n  projectKey: QA\nzephyr:\n  url: https://x.example.com\n");
    await expectBadInput(load({ env: fullEnv }), "ztoq.config.yml: invalid YAML at line 3, column 1: Map keys must be unique");
  });

  it("names the line of a JSON syntax error", async () => {
    await write("ztoq.config.json", '{\n  "zephyr": { "projectKey": "QA" },,\n  "qtest": {}\n}\n');
    await expectBadInput(load({ env: fullEnv }), /^ztoq\.config\.json: invalid JSON at line 2, column \d+: /);
  });

  it("never quotes the file in a syntax error", async () => {
    await write("ztoq.config.yml", 'zephyr:\n  token: "s3cr3t-in-file\n');
    await expectBadInput(load({ env: fullEnv }), /^ztoq\.config\.yml: invalid YAML at line \d+/);
  });

  it("rejects an unknown key, suggesting the known one", async () => {
    await write("ztoq.config.yml", "migration:\n  concurency: 4\n");
    await expectBadInput(
      load({ env: fullEnv }),
      "ztoq.config.yml: migration.concurency: unknown key (did you mean concurrency?); allowed: concurrency, retries, leaseSeconds, callToTest, attachments",
    );
    await write("ztoq.config.yml", "zephry:\n  projectKey: QA\n");
    await expectBadInput(load({ env: fullEnv }), /^ztoq\.config\.yml: zephry: unknown key \(did you mean zephyr\?\); allowed: /);
  });

  it("rejects a value outside an enum, listing what is allowed", async () => {
    await write("ztoq.config.yml", "mapping:\n  customFields:\n    Build Number:\n      field: Build\n      type: numbr\n");
    await expectBadInput(
      load({ env: fullEnv }),
      'ztoq.config.yml: mapping.customFields.Build Number.type: expected one of text, richtext, number, date, datetime, checkbox, select, multiselect, user, url; got "numbr"',
    );
    await write("ztoq.config.yml", "migration:\n  callToTest: link\n");
    await expectBadInput(
      load({ env: fullEnv }),
      'ztoq.config.yml: migration.callToTest: expected one of call, inline; got "link"',
    );
  });

  it("explains custom field mappings", async () => {
    await write("ztoq.config.yml", "mapping:\n  customFields:\n    Build Number: number\n");
    await expectBadInput(
      load({ env: fullEnv }),
      'ztoq.config.yml: mapping.customFields.Build Number: expected { field, type, values? } or { ignore: true }; got "number"',
    );
    await write("ztoq.config.yml", "mapping:\n  customFields:\n    Build Number: { type: text }\n");
    await expectBadInput(load({ env: fullEnv }), "ztoq.config.yml: mapping.customFields.Build Number.field: is required");
    await write("ztoq.config.yml", "mapping:\n  customFields:\n    Legacy: { ignore: false }\n");
    await expectBadInput(load({ env: fullEnv }), "ztoq.config.yml: mapping.customFields.Legacy.ignore: expected true; got false");
    await write("ztoq.config.yml", "mapping:\n  customFields:\n    Build: { field: Build, type: text, values: { a: b } }\n");
    await expectBadInput(
      load({ env: fullEnv }),
      "ztoq.config.yml: mapping.customFields.Build.values: only allowed when type is select or multiselect",
    );
  });

  it("rejects out-of-range numbers, bad URLs and bad project keys in the file", async () => {
    await write("configs/prod.yml", "migration:\n  concurrency: 100\n");
    await expectBadInput(
      load({ env: fullEnv, path: "configs/prod.yml" }),
      "configs/prod.yml: migration.concurrency: expected a whole number from 1 to 64; got 100",
    );
    await write("ztoq.config.yml", "zephyr:\n  projectKey: qa\n  url: ftp://example.com\n");
    await expectBadInput(
      load({ env: fullEnv }),
      'ztoq.config.yml: zephyr.url: expected an http:// or https:// URL; got "ftp://example.com"; ztoq.config.yml: zephyr.projectKey: expected a Jira project key (a capital letter, then capitals, digits or _); got "qa"',
    );
    await write("ztoq.config.yml", "state: mysql://db.example.com/ztoq\n");
    await expectBadInput(
      load({ env: fullEnv }),
      'ztoq.config.yml: state: expected sqlite:PATH, a file path, or postgres://…; got "mysql://db.example.com/ztoq"',
    );
    await write("ztoq.config.yml", "- zephyr\n");
    await expectBadInput(load({ env: fullEnv }), /^ztoq\.config\.yml: expected a mapping of sections .*; got a list$/);
  });

  it("rejects secrets in the file without repeating them", async () => {
    const advice =
      "secrets must not be in the config file; remove it and set ZTOQ_ZEPHYR_TOKEN, ZTOQ_QTEST_TOKEN or ZTOQ_QTEST_USERNAME + ZTOQ_QTEST_PASSWORD (or the action inputs zephyr-token, qtest-token, qtest-username, qtest-password)";
    await write("ztoq.config.yml", "zephyr:\n  projectKey: QA\n  token: s3cr3t-in-file\n");
    await expectBadInput(load({ env: fullEnv }), `ztoq.config.yml: zephyr.token: ${advice}`);
    for (const [yaml, path] of [
      ["qtest:\n  password: s3cr3t-in-file\n", "qtest.password"],
      ["qtest:\n  apiToken: s3cr3t-in-file\n", "qtest.apiToken"],
      ["extra:\n  - accessToken: s3cr3t-in-file\n", "extra.0.accessToken"],
      ["secret: s3cr3t-in-file\n", "secret"],
    ] as const) {
      await write("ztoq.config.yml", yaml);
      await expectBadInput(load({ env: fullEnv }), `ztoq.config.yml: ${path}: ${advice}`);
    }
    await write("ztoq.config.yml", "state: postgres://ztoq:pg-pass-VALUE@db.example.com/ztoq\n");
    await expectBadInput(load({ env: fullEnv }), /^ztoq\.config\.yml: state: the URL holds a password.*ZTOQ_STATE/);
  });

  it("lets mapping keys be named like secrets (they are Zephyr values)", async () => {
    await write(
      "ztoq.config.yml",
      "mapping:\n  statuses:\n    testCase:\n      Secret: Confidential\n  customFields:\n    Token: { field: Token, type: text }\n",
    );
    const config = await load({ env: fullEnv });
    expect(config.mapping.statuses.testCase).toEqual({ Secret: "Confidential" });
  });

  it("rejects a qTest project id that is not a positive integer", async () => {
    for (const value of ["abc", "0", "-3", "1.5", "12abc"]) {
      await expectBadInput(
        load({ env: { ...fullEnv, ZTOQ_QTEST_PROJECT: value } }),
        `ZTOQ_QTEST_PROJECT must be a positive integer; got ${JSON.stringify(value)}`,
      );
    }
  });

  it("names the variable of a bad environment value, masking a password", async () => {
    await expectBadInput(
      load({ env: { ...fullEnv, ZTOQ_ZEPHYR_PROJECT: "qa" } }),
      'ZTOQ_ZEPHYR_PROJECT must be a Jira project key (a capital letter, then capitals, digits or _); got "qa"',
    );
    await expectBadInput(
      load({ env: { ...fullEnv, ZTOQ_STATE: "mysql://ztoq:pg-pass-VALUE@db.example.com/ztoq" } }),
      'ZTOQ_STATE must be sqlite:PATH, a file path, or postgres://…; got "mysql://ztoq:***@db.example.com/ztoq"',
    );
    await expectBadInput(
      load({ env: { ...fullEnv, ZTOQ_QTEST_URL: "https://jane:pg-pass-VALUE@qtest.example.com" } }),
      /^ZTOQ_QTEST_URL must be a URL without a user name or password .*; got "https:\/\/jane:\*\*\*@qtest\.example\.com\/"$/,
    );
  });

  it("names an override by its config path", async () => {
    await expectBadInput(
      load({ env: fullEnv, overrides: { migration: { concurrency: 100 } } }),
      "option migration.concurrency: expected a whole number from 1 to 64; got 100",
    );
    await expectBadInput(
      load({ env: fullEnv, overrides: { mapping: { customFields: { Build: { type: "text" } } } } }),
      "option mapping.customFields.Build.field: is required",
    );
  });

  it("names the variable that supplies a missing required value", async () => {
    await expectBadInput(
      load({ env: { ...fullEnv, ZTOQ_ZEPHYR_PROJECT: undefined } }),
      "zephyr.projectKey is required: set it in ztoq.config.yml or ZTOQ_ZEPHYR_PROJECT",
    );
    await write("configs/prod.yml", "qtest:\n  url: https://qtest.example.com\n");
    await expectBadInput(
      load({ env: tokensOnly, path: "configs/prod.yml" }),
      "zephyr.projectKey is required: set it in configs/prod.yml or ZTOQ_ZEPHYR_PROJECT; qtest.projectId is required: set it in configs/prod.yml or ZTOQ_QTEST_PROJECT",
    );
  });
});
