import { describe, expect, it } from "vitest";
import { expectBadInput, fullEnv, workingDirectory } from "./support.js";

/**
 * Every number a config file, a variable or an override can give has a range, and every name ZTOQ
 * writes to qTest fits qTest's limit: the loader refuses the rest in one line naming the setting, the
 * allowed range and what it got, before any run starts.
 */
const cwd = workingDirectory();
const { write, load } = cwd;

describe("loadConfig: numbers out of range", () => {
  it("refuses a rate limit or a timeout no timer can hold", async () => {
    await write("ztoq.config.yml", "qtest:\n  rateLimit: 1e-300\n");
    await expectBadInput(
      load({ env: fullEnv }),
      "ztoq.config.yml: qtest.rateLimit: expected a number from 0.1 to 10000 (requests per second); got 1e-300",
    );
    await write("ztoq.config.yml", "zephyr:\n  rateLimit: 1e9\n");
    await expectBadInput(
      load({ env: fullEnv }),
      "ztoq.config.yml: zephyr.rateLimit: expected a number from 0.1 to 10000 (requests per second); got 1000000000",
    );
    await write("ztoq.config.yml", "qtest:\n  timeoutSeconds: 1e10\n");
    await expectBadInput(
      load({ env: fullEnv }),
      "ztoq.config.yml: qtest.timeoutSeconds: expected a number from 0.1 to 3600 (seconds); got 10000000000",
    );
    await write("ztoq.config.yml", "zephyr:\n  timeoutSeconds: .inf\n");
    await expectBadInput(
      load({ env: fullEnv }),
      "ztoq.config.yml: zephyr.timeoutSeconds: expected a number from 0.1 to 3600 (seconds); got Infinity",
    );
  });

  it("accepts the ends of each range", async () => {
    await write(
      "ztoq.config.yml",
      "zephyr:\n  rateLimit: 0.1\n  timeoutSeconds: 3600\nqtest:\n  rateLimit: 10000\n  timeoutSeconds: 0.1\n",
    );
    const config = await load({ env: fullEnv });
    expect([config.zephyr.rateLimit, config.zephyr.timeoutSeconds, config.qtest.rateLimit, config.qtest.timeoutSeconds]).toEqual([
      0.1, 3600, 10000, 0.1,
    ]);
  });

  it("refuses a project id or a user id beyond what is held exactly", async () => {
    await write("ztoq.config.yml", "qtest:\n  projectId: 123456789012345678901\n");
    await expectBadInput(
      load({ env: { ...fullEnv, ZTOQ_QTEST_PROJECT: undefined } }),
      "ztoq.config.yml: qtest.projectId: expected a whole number from 1 to 9007199254740991; got 123456789012345680000",
    );
    await write("ztoq.config.yml", "mapping:\n  users:\n    acc-1: 99999999999999999999\n");
    await expectBadInput(
      load({ env: fullEnv }),
      /^ztoq\.config\.yml: mapping\.users\.acc-1: expected a qTest username or a numeric qTest user id; got 100000000000000000000$/,
    );
  });
});

describe("loadConfig: names longer than qTest takes", () => {
  it("refuses a root module, a root test cycle or a marker field qTest would refuse", async () => {
    const long = "M".repeat(1000);
    await write("ztoq.config.yml", `mapping:\n  rootModule: ${long}\n`);
    await expectBadInput(
      load({ env: fullEnv }),
      `ztoq.config.yml: mapping.rootModule: expected a qTest module name of 1 to 500 characters (qTest's limit), not 1000; got "${"M".repeat(77)}..."`,
    );
    await write("ztoq.config.yml", `mapping:\n  cycleRoot:\n    name: ${"C".repeat(501)}\n`);
    await expectBadInput(
      load({ env: fullEnv }),
      /^ztoq\.config\.yml: mapping\.cycleRoot\.name: expected a qTest test cycle name of 1 to 500 characters \(qTest's limit\), not 501; got "C+\.\.\."$/,
    );
    await write("ztoq.config.yml", `mapping:\n  markerField: ${"K".repeat(101)}\n`);
    await expectBadInput(
      load({ env: fullEnv }),
      /^ztoq\.config\.yml: mapping\.markerField: expected the label of a qTest field of 1 to 100 characters \(qTest's limit\), not 101; got "K+\.\.\."$/,
    );
    await write("ztoq.config.yml", `mapping:\n  customFields:\n    Build:\n      field: ${"F".repeat(101)}\n      type: text\n`);
    await expectBadInput(
      load({ env: fullEnv }),
      /^ztoq\.config\.yml: mapping\.customFields\.Build\.field: expected the label of a qTest field of 1 to 100 characters/,
    );
    await write("ztoq.config.yml", `mapping:\n  priorities:\n    High: ${"P".repeat(101)}\n`);
    await expectBadInput(
      load({ env: fullEnv }),
      /^ztoq\.config\.yml: mapping\.priorities\.High: expected a qTest value label of 1 to 100 characters/,
    );
  });

  it("accepts names of exactly the limit", async () => {
    await write(
      "ztoq.config.yml",
      `mapping:\n  rootModule: ${"M".repeat(500)}\n  cycleRoot:\n    name: ${"C".repeat(500)}\n  markerField: ${"K".repeat(100)}\n`,
    );
    const { mapping } = await load({ env: fullEnv });
    expect([mapping.rootModule?.length, mapping.cycleRoot?.name?.length, mapping.markerField.length]).toEqual([500, 500, 100]);
  });

  it("refuses a project key longer than Jira allows, as it names the default roots", async () => {
    await expectBadInput(
      load({ env: { ...fullEnv, ZTOQ_ZEPHYR_PROJECT: `Q${"A".repeat(255)}` } }),
      /^ZTOQ_ZEPHYR_PROJECT must be a Jira project key of at most 255 characters; got "QA+\.\.\."$/,
    );
  });
});
