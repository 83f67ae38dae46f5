import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { Terminal } from "./terminal.js";

function screen(tty: boolean, columns?: number) {
  let text = "";
  const out = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    }),
    { isTTY: tty, columns },
  );
  return { terminal: new Terminal(out), text: () => text };
}

describe("Terminal", () => {
  it("writes a line above the live line and draws the live line again under it", () => {
    const { terminal, text } = screen(true);
    terminal.live("test cases 1/3");
    terminal.line("09:00:00 INFO  hello");
    expect(text()).toBe("\r\x1b[Ktest cases 1/3\r\x1b[K09:00:00 INFO  hello\ntest cases 1/3");
  });

  it("cuts the live line to the terminal's width so that it never wraps", () => {
    const { terminal, text } = screen(true, 10);
    terminal.live("0123456789abcdef");
    expect(text()).toBe("\r\x1b[K01234567…");
  });

  it("draws no live line where no person reads, and writes lines as they are", () => {
    const { terminal, text } = screen(false);
    terminal.live("test cases 1/3");
    terminal.line("a");
    terminal.clear();
    expect(text()).toBe("a\n");
  });
});
