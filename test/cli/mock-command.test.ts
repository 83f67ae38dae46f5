import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateProject } from "../../src/mock/dataset/generate.js";

/** The CLI as users run it: the committed bundle behind bin/ztoq.js, in a child process. */
const bin = join(import.meta.dirname, "../../bin/ztoq.js");

interface Started {
  child: ChildProcess;
  line: string;
  stderr: () => string;
}

function startCli(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes("\n")) resolve({ child, line: stdout, stderr: () => stderr });
    });
    child.once("exit", (code) => reject(new Error(`exited ${code} before printing: ${stderr}`)));
  });
}

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return once(child, "exit").then(([code]) => ({ code: code as number | null, stdout, stderr }));
}

describe("ztoq mock", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "ztoq-mock-cli-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("prints exactly one JSON line on stdout, serves both APIs, and stops cleanly on SIGTERM", async () => {
    const started = await startCli(["mock", "--generate", "30", "--seed", "4"]);
    const lines = started.line.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    const contract = JSON.parse(lines[0] as string);
    expect(contract).toMatchObject({
      zephyr: { url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/v2$/), token: expect.any(String), projectKey: "DEMO" },
      qtest: {
        url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        token: expect.any(String),
        projectId: expect.any(Number),
      },
    });
    const cases = await fetch(`${contract.zephyr.url}/testcases?maxResults=1`, {
      headers: { authorization: `Bearer ${contract.zephyr.token}` },
    });
    expect(((await cases.json()) as { total: number }).total).toBe(30);
    const project = await fetch(`${contract.qtest.url}/api/v3/projects/${contract.qtest.projectId}`, {
      headers: { authorization: `bearer ${contract.qtest.token}` },
    });
    expect(project.status).toBe(200);

    started.child.kill("SIGTERM");
    const [code] = await once(started.child, "exit");
    expect(code).toBe(0);
    // Logs went to stderr as JSON lines, and never carry the tokens.
    const logs = started
      .stderr()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(logs.some((l) => l.msg === "mock servers ready")).toBe(true);
    expect(started.stderr()).not.toContain(contract.zephyr.token);
    expect(started.stderr()).not.toContain(contract.qtest.token);
    await expect(fetch(`${contract.zephyr.url}/projects`)).rejects.toThrow();
  });

  it("stops cleanly on SIGINT and honours fixed ports", async () => {
    const [zephyrPort, qtestPort] = await Promise.all([freePort(), freePort()]);
    const started = await startCli(["mock", "--zephyr-port", String(zephyrPort), "--qtest-port", String(qtestPort)]);
    const contract = JSON.parse(started.line);
    expect(contract.zephyr.url).toBe(`http://127.0.0.1:${zephyrPort}/v2`);
    expect(contract.qtest.url).toBe(`http://127.0.0.1:${qtestPort}`);
    started.child.kill("SIGINT");
    const [code] = await once(started.child, "exit");
    expect(code).toBe(0);
  });

  it("serves a --dataset file unchanged", async () => {
    const snapshot = generateProject({ testCases: 12, seed: 8, baseUrl: "https://api.zephyrscale.smartbear.com/v2" });
    const file = join(dir, "snapshot.json");
    await writeFile(file, JSON.stringify(snapshot));
    const started = await startCli(["mock", "--dataset", file]);
    const contract = JSON.parse(started.line);
    const response = await fetch(`${contract.zephyr.url}/testcases?maxResults=100`, {
      headers: { authorization: `Bearer ${contract.zephyr.token}` },
    });
    expect(((await response.json()) as { values: unknown[] }).values).toEqual(snapshot.testCases);
    started.child.kill("SIGTERM");
    await once(started.child, "exit");
  });

  it.each([
    [["mock", "--fault-rate", "2"], /--fault-rate takes a number from 0 to 1; got '2'/],
    [["mock", "--generate", "many"], /--generate takes a whole number from 1 to 100000; got 'many'/],
    [["mock", "--rate-limit", "0"], /--rate-limit takes a number from 0.01 to 10000; got '0'/],
    [["mock", "--dataset", "/no/such/file.json"], /Cannot read dataset \/no\/such\/file\.json/],
    [["mock", "--dataset", "x.json", "--generate", "5"], /either --dataset or --generate/],
    [["mock", "--bogus"], /unknown option '--bogus'/],
  ])("rejects %j with exit code 2 and one clear line", async (args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(result.stdout).toBe("");
  });

  it("names what is wrong in a dataset that is not a snapshot", async () => {
    const broken = join(dir, "broken.json");
    await writeFile(broken, JSON.stringify({ ...generateProject({ testCases: 3 }), testCases: [{ key: "X-T1" }] }));
    const notJson = join(dir, "not.json");
    await writeFile(notJson, "{ nope");
    const a = await runCli(["mock", "--dataset", broken]);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/is not a Zephyr project snapshot: testCases\.0\.\w+/);
    const b = await runCli(["mock", "--dataset", notJson]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/is not valid JSON/);
  });

  it("exits 2 naming the port when it is taken", async () => {
    const blocker = createServer().listen(0, "127.0.0.1");
    await once(blocker, "listening");
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = await runCli(["mock", "--zephyr-port", String(port)]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`Port already in use`);
      expect(result.stderr).toContain(String(port));
    } finally {
      blocker.close();
    }
  });
});

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
