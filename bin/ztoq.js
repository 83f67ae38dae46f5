#!/usr/bin/env node
// The launcher. It must parse and run on whatever Node the machine starts it with (nothing newer than
// Node 18 here), because the CLI bundle needs Node 24 (node:sqlite) and fails to load on older ones with a
// stack trace. On an older Node it runs the CLI again under the Node 24 the package depends on (the `node`
// package), or says in one line which Node it needs.
import module from "node:module";

const REQUIRED_MAJOR = 24;
// Set in the re-executed child, so a `node` dependency that is itself too old cannot loop.
const REEXEC_MARK = "ZTOQ_LAUNCHED_BY";

const major = Number(process.versions.node.split(".")[0]);

if (major >= REQUIRED_MAJOR) {
  // Parsing and compiling the 1.7 MB bundle is most of a start; V8's cache of it makes later starts cheaper.
  module.enableCompileCache?.();
  await import("../dist/cli.js");
} else {
  await reexecUnderBundledNode();
}

function tooOld(detail) {
  process.stderr.write(
    `ztoq: needs Node.js ${REQUIRED_MAJOR} or newer, this is Node.js ${process.versions.node}${detail}; install Node.js ${REQUIRED_MAJOR}, or reinstall ztoq with its dependencies (npm install)\n`,
  );
  process.exit(2);
}

function bundledNode() {
  const require = module.createRequire(import.meta.url);
  const { existsSync } = require("node:fs");
  const { dirname, join } = require("node:path");
  let packageJson;
  try {
    // Resolved from this file, so it finds the dependency wherever npm put it (nested or hoisted).
    packageJson = require.resolve("node/package.json");
  } catch {
    return undefined;
  }
  const candidates = process.platform === "win32" ? ["bin/node.exe", "bin/node.cmd", "bin/node"] : ["bin/node"];
  return candidates.map((file) => join(dirname(packageJson), file)).find((file) => existsSync(file));
}

async function reexecUnderBundledNode() {
  if (process.env[REEXEC_MARK]) tooOld(` (the \`node\` dependency at ${process.execPath} is too old)`);
  const node = bundledNode();
  if (!node) tooOld(" and the `node` package ZTOQ depends on is missing");

  const { spawn } = await import("node:child_process");
  const { fileURLToPath } = await import("node:url");
  const child = spawn(node, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: "inherit",
    env: { ...process.env, [REEXEC_MARK]: process.versions.node },
  });

  // A terminal's Ctrl-C reaches the whole foreground process group, the child included: forwarding it
  // too would interrupt the child twice. Signals sent to this process alone (kill PID, a CI cancel) are
  // passed on.
  const forwarded = ["SIGTERM", "SIGHUP", "SIGINT", "SIGQUIT"];
  const relay = (signal) => {
    if ((signal === "SIGINT" || signal === "SIGQUIT") && process.stdin.isTTY) return;
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of forwarded) process.on(signal, relay);

  child.on("error", (error) => tooOld(` and the \`node\` dependency at ${node} could not start (${error.message})`));
  child.on("exit", (code, signal) => {
    for (const s of forwarded) process.off(s, relay);
    if (signal) {
      // Die of the same signal, so whoever started ztoq sees what the child saw.
      process.kill(process.pid, signal);
      return;
    }
    process.exit(code ?? 1);
  });
}
