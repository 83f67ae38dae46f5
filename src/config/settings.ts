/**
 * Every user-facing setting, declared once: its action input (and which actions have it), its
 * `ZTOQ_*` environment variable, its CLI flag (and which commands have it), where it lives in the
 * config, whether it is a secret, its default, its description and how its text is checked.
 *
 * Derived from this list: the actions' input reading (`src/actions/inputs.ts`), the environment layer
 * of the config loader, the CLI flags of migrate, verify and status, and the README's tables of inputs
 * and environment variables (`npm run readme`). A test holds `action.yml` and `verify/action.yml` to it.
 *
 * Precedence, for settings with several sources: action input or CLI flag > environment variable >
 * config file > default.
 */
import { defaultStateLocation, defaultZephyrUrl, MAX_WAIT_SECONDS } from "./schema.js";
import { boolean, choice, password, projectId, text, token, type ValueKind, wholeNumber } from "./setting-values.js";

export type ActionName = "migrate" | "verify";
export type CommandName = "migrate" | "verify" | "status" | "rollback";

/** One value for both actions, or one each where they differ. */
export type PerAction<T> = T | { readonly migrate: T; readonly verify: T };

export interface Setting<T = unknown> {
  /** What it does: the input's `description:` in action.yml, and the README's wording. */
  readonly description: PerAction<string>;
  readonly input?: {
    readonly name: string;
    readonly actions: readonly ActionName[];
    /** Inputs are optional unless said: every setting has another source (a variable, the file) or a default. */
    readonly required?: boolean;
    /** A `default:` the runner evaluates, such as `${{ github.token }}`; ztoq itself applies none. */
    readonly runnerDefault?: string;
  };
  /** Its `ZTOQ_*` environment variable. */
  readonly env?: string;
  readonly flag?: {
    /** Commander's syntax: `-c, --config <file>`. */
    readonly flags: string;
    readonly commands: readonly CommandName[];
    /** The flag's line in `--help`. */
    readonly help: string;
  };
  /** Its dotted path in `ztoq.config.yml` (and in the loaded config); the file may set it. */
  readonly config?: string;
  /** A credential: its dotted path in the loader's overrides. The file may never hold it. */
  readonly credential?: "zephyr.token" | "qtest.token" | "qtest.username" | "qtest.password" | "jira.email" | "jira.token";
  /** Masked in the action's log, and refused in the config file. */
  readonly secret: boolean;
  /**
   * ztoq's default as text, where ztoq applies it outside the config schema (whose defaults are in
   * `schema.ts`): declared in action.yml, applied when an input is empty, shown by `--help`.
   */
  readonly default?: PerAction<string>;
  readonly value: ValueKind<T>;
}

/** Keeps each entry's literal type: readers get `"full" | "incremental"`, messages get `"ZTOQ_STATE"`. */
function setting<const S extends Setting>(definition: S): S {
  return definition;
}

const both = ["migrate", "verify"] as const;

export const settings = {
  config: setting({
    description: "Path of the configuration file (ztoq.config.yml). Optional when inputs and ZTOQ_* variables say it all.",
    input: { name: "config", actions: both },
    env: "ZTOQ_CONFIG",
    flag: {
      flags: "-c, --config <file>",
      commands: ["migrate", "verify", "status"],
      help: "configuration file (default: ZTOQ_CONFIG or ./ztoq.config.yml if present)",
    },
    secret: false,
    value: text,
  }),
  zephyrUrl: setting({
    description: `Zephyr Scale Cloud API base URL (default ${defaultZephyrUrl}).`,
    input: { name: "zephyr-url", actions: both },
    env: "ZTOQ_ZEPHYR_URL",
    config: "zephyr.url",
    secret: false,
    value: text,
  }),
  zephyrToken: setting({
    description: "Zephyr Scale API access token. Pass a secret.",
    input: { name: "zephyr-token", actions: both },
    env: "ZTOQ_ZEPHYR_TOKEN",
    credential: "zephyr.token",
    secret: true,
    value: token,
  }),
  zephyrProject: setting({
    description: "Key of the Jira project whose Zephyr Scale assets are migrated.",
    input: { name: "zephyr-project", actions: both },
    env: "ZTOQ_ZEPHYR_PROJECT",
    config: "zephyr.projectKey",
    secret: false,
    value: text,
  }),
  qtestUrl: setting({
    description: "qTest Manager site URL, e.g. https://example.qtestnet.com.",
    input: { name: "qtest-url", actions: both },
    env: "ZTOQ_QTEST_URL",
    config: "qtest.url",
    secret: false,
    value: text,
  }),
  qtestToken: setting({
    description: "qTest API token. Pass a secret. Or use qtest-username and qtest-password.",
    input: { name: "qtest-token", actions: both },
    env: "ZTOQ_QTEST_TOKEN",
    credential: "qtest.token",
    secret: true,
    value: token,
  }),
  qtestUsername: setting({
    description: "qTest user name, when no token is given.",
    input: { name: "qtest-username", actions: both },
    env: "ZTOQ_QTEST_USERNAME",
    credential: "qtest.username",
    // A user name is shown in reports (to say who signed in); only its password is a secret.
    secret: false,
    value: text,
  }),
  qtestPassword: setting({
    description: "qTest password, when no token is given. Pass a secret.",
    input: { name: "qtest-password", actions: both },
    env: "ZTOQ_QTEST_PASSWORD",
    credential: "qtest.password",
    secret: true,
    value: password,
  }),
  jiraUrl: setting({
    description:
      "Jira Cloud site URL, e.g. https://example.atlassian.net: resolves the Jira issue ids of Zephyr's links to keys and summaries. Optional.",
    input: { name: "jira-url", actions: both },
    env: "ZTOQ_JIRA_URL",
    config: "jira.url",
    secret: false,
    value: text,
  }),
  jiraEmail: setting({
    description: "E-mail of the Atlassian account whose API token is jira-token.",
    input: { name: "jira-email", actions: both },
    env: "ZTOQ_JIRA_EMAIL",
    credential: "jira.email",
    // Like the qTest user name: it says who signed in; only the token is a secret.
    secret: false,
    value: text,
  }),
  jiraToken: setting({
    description: "Atlassian API token for jira-email (basic auth, as Jira Cloud documents). Pass a secret.",
    input: { name: "jira-token", actions: both },
    env: "ZTOQ_JIRA_TOKEN",
    credential: "jira.token",
    secret: true,
    value: token,
  }),
  qtestProject: setting({
    description: "Numeric id of the target qTest project.",
    input: { name: "qtest-project", actions: both },
    env: "ZTOQ_QTEST_PROJECT",
    config: "qtest.projectId",
    secret: false,
    value: projectId,
  }),
  state: setting({
    description: `State store — an SQLite path (default ${defaultStateLocation}; keep it between runs with actions/cache) or a postgres:// URL.`,
    input: { name: "state", actions: both },
    env: "ZTOQ_STATE",
    flag: {
      flags: "--state <location>",
      commands: ["migrate", "status"],
      help: `state store: a SQLite path, sqlite:PATH or postgres://… (default ${defaultStateLocation})`,
    },
    config: "state",
    secret: false,
    value: text,
  }),
  mode: setting({
    description:
      "full (read everything, write what is new or changed) or incremental (only what changed since the last complete run).",
    input: { name: "mode", actions: ["migrate"] },
    flag: {
      flags: "--mode <mode>",
      commands: ["migrate"],
      help: "full reads everything; incremental only what changed since the last complete run",
    },
    secret: false,
    default: "full",
    value: choice(["full", "incremental"]),
  }),
  dryRun: setting({
    description: "true to resolve every mapping against qTest and write nothing.",
    input: { name: "dry-run", actions: ["migrate"] },
    flag: { flags: "--dry-run", commands: ["migrate"], help: "resolve every mapping against qTest and report; write nothing" },
    secret: false,
    default: "false",
    value: boolean,
  }),
  prune: setting({
    description: "true to delete from qTest the migrated test cases that no longer exist in Zephyr.",
    input: { name: "prune", actions: ["migrate"] },
    flag: { flags: "--prune", commands: ["migrate"], help: "delete from qTest the test cases that no longer exist in Zephyr" },
    secret: false,
    default: "false",
    value: boolean,
  }),
  reconcile: setting({
    description:
      "true to compare every migrated object with what it should be and repair qTest: re-create what was deleted, restore what was changed, moved or renamed.",
    input: { name: "reconcile", actions: ["migrate"] },
    flag: {
      flags: "--reconcile",
      commands: ["migrate"],
      help: "compare every migrated object with what it should be and repair qTest (re-create, restore, move back)",
    },
    secret: false,
    default: "false",
    value: boolean,
  }),
  shard: setting({
    description: "i/n to migrate one shard of a matrix (needs a PostgreSQL state store).",
    input: { name: "shard", actions: ["migrate"] },
    flag: {
      flags: "--shard <i/n>",
      commands: ["migrate"],
      help: "run shard i of n (e.g. 2/4) against a state store all shards share (PostgreSQL)",
    },
    secret: false,
    // `i/n` is checked where a shard is defined, by parseShard (src/migrate/shard.ts).
    value: text,
  }),
  waitSeconds: setting({
    description: `When another run holds the state store: how many seconds to wait for it before giving up with exit code 3 (0 to ${MAX_WAIT_SECONDS}; default 0, give up at once, naming the run that holds it).`,
    input: { name: "wait-seconds", actions: ["migrate"] },
    env: "ZTOQ_WAIT_SECONDS",
    flag: {
      flags: "--wait-seconds <seconds>",
      commands: ["migrate", "rollback"],
      help: `when another run holds the state store, wait up to this many seconds for it (0 to ${MAX_WAIT_SECONDS}; default 0: exit 3 at once, naming it)`,
    },
    config: "migration.waitSeconds",
    secret: false,
    value: wholeNumber(0, MAX_WAIT_SECONDS),
  }),
  report: setting({
    description:
      "Where the JSON report is written, a Markdown twin beside it (default migration-report.json or verification-report.json in report.dir).",
    flag: {
      flags: "--report <file>",
      commands: ["migrate", "verify"],
      help: "where to write the JSON report (a Markdown twin goes beside it)",
    },
    secret: false,
    value: text,
  }),
  failOn: setting({
    // The metrics and the default are src/verify/fail-on.ts's; the config layer imports nothing from
    // verify, so a test holds these texts to them.
    description:
      'Thresholds that fail the verdict, e.g. "missing>0,extra>0,changed>0,duplicated>0,misplaced>0" (the default: any difference fails), "changed>5" to tolerate up to five changed entities, or "notCarried>0" to fail when the source holds anything qTest did not receive (not gated unless named).',
    input: { name: "fail-on", actions: ["verify"] },
    flag: {
      flags: "--fail-on <spec>",
      commands: ["verify"],
      help: "thresholds, comma-separated metric>N (metrics: missing, extra, changed, duplicated, misplaced; unnamed ones stay >0; notCarried is not gated unless named). Default: missing>0,extra>0,changed>0,duplicated>0,misplaced>0",
    },
    secret: false,
    value: text,
  }),
  checks: setting({
    description:
      "A checks file (YAML): database tables (sql), old vs new service responses (http), checks written in TypeScript (script) and the Zephyr → qTest migration (zephyr-qtest), one report and one verdict for all. Without it, verify checks the migration.",
    input: { name: "checks", actions: ["verify"] },
    flag: {
      flags: "--checks <file>",
      commands: ["verify"],
      help: "run the checks in this file (sql, http, script, zephyr-qtest) instead of the one Zephyr → qTest check",
    },
    secret: false,
    value: text,
  }),
  logFormat: setting({
    description:
      "What the logs on stderr look like: text (a line a person reads, above the progress line) or json (one pino record a line). Default: text on a terminal, json elsewhere (CI, the actions).",
    env: "ZTOQ_LOG_FORMAT",
    flag: {
      flags: "--log-format <format>",
      commands: ["migrate", "verify"],
      help: "logs on stderr as text or json (default: text on a terminal, json elsewhere)",
    },
    secret: false,
    value: choice(["json", "text"]),
  }),
  logFile: setting({
    description: "A file that receives every log record as a JSON line (appended), whatever stderr shows.",
    env: "ZTOQ_LOG_FILE",
    flag: {
      flags: "--log-file <file>",
      commands: ["migrate", "verify"],
      help: "also write every log record to this file, as JSON lines",
    },
    secret: false,
    value: text,
  }),
  comment: setting({
    description:
      "Pull-request comment with the verdict: auto (on pull requests, when verification fails or a ZTOQ comment already exists, which it then updates), always (on every pull request run), never.",
    input: { name: "comment", actions: ["verify"] },
    secret: false,
    default: "auto",
    value: choice(["auto", "always", "never"]),
  }),
  reportName: setting({
    description: {
      migrate: "Name of the artifact holding the report (and the SQLite state file).",
      verify: "Name of the artifact holding the verification report.",
    },
    input: { name: "report-name", actions: both },
    secret: false,
    default: { migrate: "ztoq-migration", verify: "ztoq-verification" },
    value: text,
  }),
  retentionDays: setting({
    description: "Days to keep the artifact (1–90; default the repository's setting).",
    input: { name: "retention-days", actions: both },
    secret: false,
    value: wholeNumber(1, 90),
  }),
  githubToken: setting({
    description: {
      migrate: "Token for the GitHub API.",
      verify: "Token for the pull-request comment (needs pull-requests write).",
    },
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, for the runner to evaluate
    input: { name: "github-token", actions: both, runnerDefault: "${{ github.token }}" },
    secret: true,
    value: text,
  }),
} satisfies Record<string, Setting>;

export type SettingId = keyof typeof settings;

/** The manifest in declaration order, each with its id. */
export function allSettings(): { id: SettingId; setting: Setting }[] {
  return (Object.keys(settings) as SettingId[]).map((id) => ({ id, setting: settings[id] as Setting }));
}

/** The value of a per-action field for one action. */
export function forAction<T>(value: PerAction<T>, action: ActionName): T {
  return isPerAction(value) ? value[action] : value;
}

function isPerAction<T>(value: PerAction<T>): value is { readonly migrate: T; readonly verify: T } {
  return typeof value === "object" && value !== null && "migrate" in value && "verify" in value;
}

/** What action.yml declares as the input's `default:`, if anything. */
export function declaredDefault(setting: Setting, action: ActionName): string | undefined {
  if (setting.input?.runnerDefault !== undefined) return setting.input.runnerDefault;
  return setting.default === undefined ? undefined : forAction(setting.default, action);
}
