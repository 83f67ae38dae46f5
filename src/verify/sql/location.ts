/**
 * Where a side of a `sql` check lives, from its `source`/`target` setting: the engine, what the driver
 * is given, and a description without credentials (engine, host, database) for the report, messages and
 * logs. `${VAR}` references are expanded from the environment so that a committed checks file carries
 * no password; every value that could be one is kept to be blanked out of any message.
 */
import { isAbsolute, resolve } from "node:path";
import { BadInputError } from "../../errors.js";

export type Engine = "postgres" | "sqlite";

export interface Location {
  engine: Engine;
  /** The URL (postgres) or absolute file path (sqlite) the driver opens. */
  connect: string;
  /** `postgres://host:5432/db` or `sqlite:path/as/written.db`: no user, no password. */
  display: string;
  /** Texts never to show: the URL, its password, the values of the environment references. */
  secrets: string[];
}

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export function parseLocation(
  text: string,
  side: "source" | "target",
  baseDir: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Location {
  const secrets: string[] = [];
  const references: { name: string; value: string }[] = [];
  const expanded = text.trim().replace(REFERENCE, (_, name: string) => {
    const value = env[name];
    if (value === undefined) throw new BadInputError(`sql check ${side}: \${${name}} is not set in the environment`);
    if (value !== "") {
      secrets.push(value);
      references.push({ name, value });
    }
    return value;
  });
  // A description shows no reference's value: where one would stand whole (a host, a path), its name does.
  const written = (display: string) =>
    references
      .toSorted((a, b) => b.value.length - a.value.length)
      .reduce((out, { name, value }) => out.replaceAll(value, `\${${name}}`), display);
  if (expanded.startsWith("sqlite:")) {
    const path = expanded.slice("sqlite:".length);
    if (path === "") throw new BadInputError(`sql check ${side}: sqlite: needs a file path, e.g. sqlite:data/orders.db`);
    return {
      engine: "sqlite",
      connect: isAbsolute(path) ? path : resolve(baseDir, path),
      display: written(`sqlite:${path}`),
      secrets,
    };
  }
  let url: URL;
  try {
    url = new URL(expanded);
  } catch {
    throw new BadInputError(`sql check ${side}: not a valid postgres:// URL`);
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new BadInputError(`sql check ${side}: expected postgres://… or sqlite:PATH`);
  }
  if (url.password !== "") secrets.push(url.password, decodeURIComponent(url.password));
  secrets.push(expanded);
  const host = url.hostname || "localhost";
  const database = decodeURIComponent(url.pathname.replace(/^\//, "")) || decodeURIComponent(url.username) || "postgres";
  return {
    engine: "postgres",
    connect: expanded,
    display: written(`postgres://${host}:${url.port || "5432"}/${database}`),
    secrets: [...new Set(secrets)].sort((a, b) => b.length - a.length),
  };
}

/** `text` with every secret of the locations blanked out. */
export function redact(text: string, ...locations: readonly Location[]): string {
  let out = text;
  for (const location of locations) for (const secret of location.secrets) out = out.replaceAll(secret, "***");
  return out;
}
