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
    const progress = new Progress({ out, intervalMs: 0, actions: false });
    progress.phase("Test cases");
    progress.expect("testCase", 200);
    progress.tick("testCase", 50);
    progress.finish("testCase");
    const lines = text().trim().split("\n");
    expect(lines[0]).toBe("[ztoq] Test cases");
    expect(lines[1]).toMatch(/^\[ztoq\] test cases 50\/200 \(25%\) [\d.]+\/s ETA \d+/);
    expect(text()).not.toContain("\r");
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
