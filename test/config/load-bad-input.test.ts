import { rm } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectBadInput, fullEnv, tokensOnly, untyped, workingDirectory } from "./support.js";

const cwd = workingDirectory();
const { write, load } = cwd;

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
      "ztoq.config.yml: migration.concurency: unknown key (did you mean concurrency?); allowed: concurrency, retries, leaseSeconds, waitSeconds, callToTest, attachments",
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
    await expectBadInput(load({ env: fullEnv }), 'ztoq.config.yml: migration.callToTest: expected call or inline; got "link"');
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

  it("refuses attachments: upload, saying why and what to use instead; accepts inline calls", async () => {
    const attachments =
      'migration.attachments: "upload" is refused: ZTOQ does not migrate attachments — Zephyr Scale Cloud publishes no request paths for its attachment operations (README, Attachments); use "skip"';
    await write("ztoq.config.yml", "migration:\n  attachments: upload\n");
    await expectBadInput(load({ env: fullEnv }), `ztoq.config.yml: ${attachments}`);
    await rm(join(cwd.path, "ztoq.config.yml"));
    await expectBadInput(
      load({ env: fullEnv, overrides: untyped({ migration: { attachments: "upload" } }) }),
      `option ${attachments}`,
    );

    await write("ztoq.config.yml", "migration:\n  callToTest: inline\n  attachments: skip\n");
    expect((await load({ env: fullEnv })).migration).toMatchObject({ callToTest: "inline", attachments: "skip" });
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
    for (const value of ["abc", "0", "-3", "1.5", "12abc", "123456789012345678901"]) {
      await expectBadInput(
        load({ env: { ...fullEnv, ZTOQ_QTEST_PROJECT: value } }),
        `ZTOQ_QTEST_PROJECT must be a whole number from 1 to 9007199254740991 (the qTest project id); got ${JSON.stringify(value)}`,
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
