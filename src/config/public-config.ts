/**
 * The config as it may be shown: without the Zephyr token or the qTest token or password. Logs and
 * reports show it, and the config hash is taken of it, so a hash reveals nothing of a secret.
 */
import { createHash } from "node:crypto";
import type { ResolvedConfig } from "./load.js";
import type { Config } from "./schema.js";

export type PublicConfig = Omit<ResolvedConfig, "zephyr" | "qtest"> & {
  zephyr: Config["zephyr"];
  qtest: Config["qtest"] & { auth: { kind: "token" } | { kind: "password"; username: string } };
};

export function withoutSecrets(config: ResolvedConfig): PublicConfig {
  const { token: _token, ...zephyr } = config.zephyr;
  const { auth, ...qtest } = config.qtest;
  return {
    ...config,
    zephyr,
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
