import { once } from "node:events";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { configSchema } from "../../src/config/schema.js";
import { messageLines, runCli, startCli, waitFor } from "../support/cli.js";
import { expectBundle } from "./setup.js";

/**
 * `ztoq mock` and `ztoq demo` given absurd numbers, and `ztoq mock --demo-config` under its own faults:
 * one line and exit 2 for what cannot be served, a ready mock for what can, and a process that always
 * ends.
 */

beforeAll(expectBundle);

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ztoq-mock-input-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("numbers the mock cannot serve", () => {
  it.each([
    [["mock", "--generate", "1e9"], /^error: .*--generate takes a whole number from 1 to 100000; got '1e9'/],
    [["mock", "--latency", "1e12"], /--latency takes a number from 0 to 60000; got '1e12'/],
    [["mock", "--rate-limit", "1e-300"], /--rate-limit takes a number from 0\.01 to 10000; got '1e-300'/],
    [["mock", "--seed", "-1"], /--seed takes a whole number from 0 to 4294967295; got '-1'/],
    [["mock", "--seed", "1e300"], /--seed takes a whole number from 0 to 4294967295; got '1e300'/],
    [["mock", "--qtest-port", "70000"], /--qtest-port takes a whole number from 0 to 65535; got '70000'/],
    [["demo", "--generate", "1e9"], /--generate takes a whole number from 1 to 100000; got '1e9'/],
  ])(
    "%j: exit 2 with one line naming the flag, the range and the value",
    async (args, message) => {
      const result = await runCli(args, {});
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect({ code: result.code, lines: messageLines(result.stderr) }).toEqual({
        code: 2,
        lines: [expect.stringMatching(message)],
      });
      expect(result.stdout).toBe("");
    },
    30_000,
  );
});

describe("mock --demo-config", () => {
  // Every request to these mocks fails: preparing them over HTTP could never work.
  it("with --fault-rate 1: prepares the target anyway, prints its one JSON line, writes a valid mapping, stops on SIGTERM", async () => {
    const file = join(dir, "demo.yml");
    const run = startCli(["mock", "--fault-rate", "1", "--demo-config", file], {});
    let stdout = "";
    run.child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    await waitFor(() => stdout.includes("\n"), "the JSON line", { child: run.child, timeoutMs: 30_000 });
    const contract = JSON.parse(stdout) as { qtest: { url: string } };
    expect(contract.qtest.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const { mapping } = YAML.parse(await readFile(file, "utf8")) as { mapping: Record<string, unknown> };
    expect(Object.keys(mapping.users as object).length).toBeGreaterThan(0);
    // What a run would load: the mapping passes the config schema as it is.
    const parsed = configSchema.safeParse({
      zephyr: { projectKey: "DEMO" },
      qtest: { url: contract.qtest.url, projectId: 1 },
      mapping,
    });
    expect(parsed.success).toBe(true);
    run.child.kill("SIGTERM");
    const [code] = await once(run.child, "exit");
    expect(code).toBe(0);
  }, 60_000);

  it("with --fault-rate 0.5: the qTest project holds the demo fields when the mock says it is ready", async () => {
    const file = join(dir, "demo-half.yml");
    const run = startCli(["mock", "--fault-rate", "0.5", "--seed", "3", "--demo-config", file], {});
    let stdout = "";
    run.child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    await waitFor(() => stdout.includes("\n"), "the JSON line", { child: run.child, timeoutMs: 30_000 });
    const { qtest } = JSON.parse(stdout) as { qtest: { url: string; token: string; projectId: number } };
    // Half the answers are faults: ask until one is not.
    let labels: string[] | undefined;
    for (let attempt = 0; attempt < 100 && !labels; attempt++) {
      const response = await fetch(`${qtest.url}/api/v3/projects/${qtest.projectId}/settings/test-cases/fields`, {
        headers: { authorization: `bearer ${qtest.token}` },
      }).catch(() => undefined);
      if (response?.ok) labels = ((await response.json()) as { label: string }[]).map((f) => f.label);
      else await response?.arrayBuffer();
    }
    expect(labels).toEqual(expect.arrayContaining(["Build Number", "Implemented", "Category", "Platforms", "Reviewer"]));
    run.child.kill("SIGTERM");
    const [code] = await once(run.child, "exit");
    expect(code).toBe(0);
  }, 60_000);

  it("naming a directory, or a path the kernel refuses: exit 2 with one line, before any mock starts", async () => {
    const folder = join(dir, "folder");
    await mkdir(folder);
    for (const [file, message] of [
      [folder, /^ztoq: --demo-config .*folder: is a directory, not a file$/],
      ["/dev/null/demo.yml", /^ztoq: --demo-config \/dev\/null\/demo\.yml: \/dev\/null is not a directory$/],
    ] as const) {
      const result = await runCli(["mock", "--demo-config", file], {});
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect({ code: result.code, lines: messageLines(result.stderr), stdout: result.stdout }).toEqual({
        code: 2,
        lines: [expect.stringMatching(message)],
        stdout: "",
      });
    }
  }, 30_000);
});
