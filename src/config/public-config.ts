/**
 * The config as it may be shown: without the Zephyr token, the qTest token or password, or the Jira token. Logs and
 * reports show it, and the config hash is taken of it, so a hash reveals nothing of a secret.
 */
import { createHash } from "node:crypto";
import type { ResolvedConfig } from "./load.js";
import type { Config } from "./schema.js";

export type PublicConfig = Omit<ResolvedConfig, "zephyr" | "qtest" | "jira"> & {
  zephyr: Config["zephyr"];
  jira: (Omit<NonNullable<ResolvedConfig["jira"]>, "auth"> & { auth: { email: string } }) | undefined;
  qtest: Config["qtest"] & { auth: { kind: "token" } | { kind: "password"; username: string } };
};

export function withoutSecrets(config: ResolvedConfig): PublicConfig {
  const { token: _token, ...zephyr } = config.zephyr;
  const { auth, ...qtest } = config.qtest;
  const jira = config.jira && { ...config.jira, auth: { email: config.jira.auth.email } };
  return {
    ...config,
    zephyr,
    jira,
    qtest: { ...qtest, auth: auth.kind === "token" ? { kind: "token" } : { kind: "password", username: auth.username } },
  };
}

/** Equal hashes mean the same settings. */
export function configHash(config: ResolvedConfig): string {
  return createHash("sha256")
    .update(JSON.stringify(withoutSecrets(config)))
    .digest("hex")
    .slice(0, 16);
}
