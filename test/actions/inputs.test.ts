import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import { connectionInputs, inputOrDefault, inputValue } from "../../src/actions/inputs.js";
import { loadConfig } from "../../src/config/load.js";
import { settings } from "../../src/config/settings.js";
import { BadInputError } from "../../src/errors.js";

/**
 * The actions' input reading, in this process: the end-to-end tests in this folder run the committed
 * bundles, so these hold the sources to the same behaviour. Inputs reach an action as `INPUT_<NAME>`.
 */

let stdout: MockInstance<typeof process.stdout.write>;
const saved = { ...process.env };

beforeEach(() => {
  for (const name of Object.keys(process.env)) if (name.startsWith("INPUT_")) delete process.env[name];
  stdout = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
});

afterEach(() => {
  stdout.mockRestore();
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
});

function given(inputs: Record<string, string>): void {
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
}

function masked(): string[] {
  return stdout.mock.calls.map(([chunk]) => String(chunk).trim()).filter((line) => line.startsWith("::add-mask::"));
}

function badInput(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(BadInputError);
    return (error as BadInputError).message;
  }
  throw new Error("expected a BadInputError");
}

describe("connectionInputs", () => {
  it("turns the connection inputs into config overrides and the config path", () => {
    given({
      config: " ci/ztoq.yml ",
      "zephyr-url": "https://zephyr.example.com/v2",
      "zephyr-token": "zt",
      "zephyr-project": "QA",
      "qtest-url": "https://qtest.example.com",
      "qtest-token": "qt",
      "qtest-username": "jane",
      "qtest-password": "pw",
      "qtest-project": "42",
      state: "postgres://db.example.com/ztoq",
    });
    expect(connectionInputs("migrate")).toEqual({
      configPath: "ci/ztoq.yml",
      overrides: {
        zephyr: { url: "https://zephyr.example.com/v2", token: "zt", projectKey: "QA" },
        qtest: { url: "https://qtest.example.com", token: "qt", username: "jane", password: "pw", projectId: 42 },
        state: "postgres://db.example.com/ztoq",
      },
    });
  });

  it("leaves empty inputs out, so the variables and the file apply", () => {
    given({ config: "", "zephyr-url": "  ", "qtest-project": "" });
    expect(connectionInputs("verify")).toEqual({ configPath: undefined, overrides: {} });
  });

  it("masks the secrets before anything else, the user name not", () => {
    given({ "zephyr-token": "zt", "qtest-token": "qt", "qtest-password": "pw", "qtest-username": "jane", "qtest-project": "x" });
    given({ "github-token": "ghs_x" });
    badInput(() => connectionInputs("migrate"));
    expect(masked()).toEqual(["::add-mask::zt", "::add-mask::qt", "::add-mask::pw", "::add-mask::ghs_x"]);
  });

  it("refuses a qTest project that is not a whole number, naming the input", () => {
    given({ "qtest-project": "abc" });
    expect(badInput(() => connectionInputs("verify"))).toBe(
      'Input qtest-project must be a positive whole number (the qTest project id); got "abc".',
    );
  });

  it("feeds loadConfig: inputs over the variables, which name a 0 project as the option", async () => {
    given({ "zephyr-project": "INPUT", "qtest-token": "qt-input", "qtest-project": "7" });
    const env = {
      ZTOQ_ZEPHYR_TOKEN: "zt",
      ZTOQ_ZEPHYR_PROJECT: "ENV",
      ZTOQ_QTEST_URL: "https://qtest.example.com",
      ZTOQ_QTEST_TOKEN: "qt-env",
      ZTOQ_QTEST_PROJECT: "9",
    };
    const config = await loadConfig({ env, cwd: "/nonexistent", ...pathAndOverrides("migrate") });
    expect(config.zephyr.projectKey).toBe("INPUT");
    expect(config.qtest.projectId).toBe(7);
    expect(config.qtest.auth).toEqual({ kind: "token", token: "qt-input" });

    given({ "qtest-project": "0" });
    await expect(loadConfig({ env, cwd: "/nonexistent", ...pathAndOverrides("migrate") })).rejects.toThrow(
      "option qtest.projectId: expected a whole number from 1 to 9007199254740991; got 0",
    );
  });
});

function pathAndOverrides(action: "migrate" | "verify") {
  const { configPath, overrides } = connectionInputs(action);
  return { path: configPath, overrides };
}

describe("the other inputs", () => {
  it("mode: full when empty, one of full or incremental", () => {
    expect(inputOrDefault(settings.mode, "migrate")).toBe("full");
    given({ mode: "incremental" });
    expect(inputOrDefault(settings.mode, "migrate")).toBe("incremental");
    given({ mode: "sideways" });
    expect(badInput(() => inputOrDefault(settings.mode, "migrate"))).toBe(
      'Input mode must be one of full, incremental; got "sideways".',
    );
  });

  it("dry-run and prune: false when empty, true or false in any case", () => {
    expect(inputOrDefault(settings.dryRun, "migrate")).toBe(false);
    given({ "dry-run": "TRUE", prune: "False" });
    expect(inputOrDefault(settings.dryRun, "migrate")).toBe(true);
    expect(inputOrDefault(settings.prune, "migrate")).toBe(false);
    given({ prune: "Yes" });
    expect(badInput(() => inputOrDefault(settings.prune, "migrate"))).toBe('Input prune must be true or false; got "yes".');
  });

  it("shard: i/n as given (parseShard checks it), nothing when empty", () => {
    expect(inputValue(settings.shard)).toBeUndefined();
    given({ shard: " 2/4 " });
    expect(inputValue(settings.shard)).toBe("2/4");
  });

  it("retention-days: the repository's setting when empty, else 1 to 90", () => {
    expect(inputValue(settings.retentionDays)).toBeUndefined();
    given({ "retention-days": "30" });
    expect(inputValue(settings.retentionDays)).toBe(30);
    for (const value of ["0", "91", "1.5", "a week"]) {
      given({ "retention-days": value });
      expect(badInput(() => inputValue(settings.retentionDays))).toBe(
        `Input retention-days must be a whole number from 1 to 90; got "${value}".`,
      );
    }
  });

  it("report-name: a default per action", () => {
    expect(inputOrDefault(settings.reportName, "migrate")).toBe("ztoq-migration");
    expect(inputOrDefault(settings.reportName, "verify")).toBe("ztoq-verification");
    given({ "report-name": "shard-2" });
    expect(inputOrDefault(settings.reportName, "verify")).toBe("shard-2");
  });

  it("comment: auto when empty, one of auto, always, never", () => {
    expect(inputOrDefault(settings.comment, "verify")).toBe("auto");
    given({ comment: "sometimes" });
    expect(badInput(() => inputOrDefault(settings.comment, "verify"))).toBe(
      'Input comment must be one of auto, always, never; got "sometimes".',
    );
  });

  it("fail-on and github-token: as given, nothing when empty", () => {
    expect(inputValue(settings.failOn)).toBeUndefined();
    expect(inputValue(settings.githubToken)).toBeUndefined();
    given({ "fail-on": " changed>5 ", "github-token": "ghs_x" });
    expect(inputValue(settings.failOn)).toBe("changed>5");
    expect(inputValue(settings.githubToken)).toBe("ghs_x");
  });
});
