import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { Progress } from "../../src/progress/progress.js";

function sink(tty: boolean) {
  let text = "";
  const out = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    }),
    { isTTY: tty },
  );
  return { out, text: () => text };
}

describe("progress", () => {
  it("prints one line per interval in CI logs: type, done/total, rate, ETA", () => {
    const { out, text } = sink(false);
    let now = 0;
    const progress = new Progress({ out, intervalMs: 0, actions: false, now: () => now });
    progress.phase("Test cases");
    progress.expect("testCase", 200);
    for (; now < 10_000; now += 200) progress.tick("testCase");
    progress.finish("testCase");
    const lines = text().trim().split("\n");
    expect(lines[0]).toBe("[ztoq] Test cases");
    expect(lines.at(-1)).toMatch(/^\[ztoq\] test cases 50\/200 \(25%\) [\d.]+\/s ETA \d+/);
    expect(text()).not.toContain("\r");
  });

  it("shows no ETA until the rate has settled: not for a phase that takes seconds", () => {
    const { out, text } = sink(false);
    let now = 0;
    const progress = new Progress({ out, intervalMs: 0, actions: false, now: () => now });
    progress.expect("testLog", 100_000);
    now = 2_000;
    progress.tick("testLog");
    for (; now < 4_000; now += 100) progress.tick("testLog", 10);
    progress.finish("testLog");
    expect(text()).not.toContain("ETA");
  });

  it("adds the pace callers report to the line", () => {
    const { out, text } = sink(false);
    const progress = new Progress({ out, intervalMs: 0, actions: false });
    progress.setPace(() => "qTest 9.5 req/s");
    progress.expect("testCase", 2);
    progress.tick("testCase");
    progress.setPace(() => "");
    progress.tick("testCase");
    const lines = text().trim().split("\n");
    expect(lines[0]).toMatch(/ · qTest 9\.5 req\/s$/);
    expect(lines[1]).not.toContain("·");
  });

  it("rewrites one live line on a terminal", () => {
    const { out, text } = sink(true);
    const progress = new Progress({ out, intervalMs: 0, actions: false });
    progress.expect("testLog", 3);
    progress.tick("testLog");
    progress.tick("testLog");
    expect(text().split("\r\x1b[K").filter(Boolean)).toHaveLength(2);
    expect(text()).not.toContain("\n");
  });

  it("opens and closes ::group:: sections per phase inside GitHub Actions", () => {
    const { out, text } = sink(false);
    const progress = new Progress({ out, intervalMs: 60_000, actions: true });
    progress.phase("Preflight");
    progress.phase("Modules");
    progress.close();
    expect(text()).toBe("::group::Preflight\n::endgroup::\n::group::Modules\n::endgroup::\n");
  });
});
