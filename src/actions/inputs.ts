import * as core from "@actions/core";
import type { ConfigOverrides } from "../config/load.js";
import { BadInputError } from "../errors.js";

/**
 * The connection inputs both actions share, as config overrides. An input wins over `ZTOQ_*`
 * variables, which win over the config file; an input left empty means "not given", so the action
 * declares no defaults for these and the product's own defaults apply.
 */
export function connectionInputs(): { configPath: string | undefined; overrides: ConfigOverrides } {
  const input = (name: string) => core.getInput(name).trim() || undefined;
  for (const secret of ["zephyr-token", "qtest-token", "qtest-password"]) {
    const value = core.getInput(secret);
    if (value) core.setSecret(value);
  }
  const projectId = input("qtest-project");
  if (projectId !== undefined && !/^\d+$/.test(projectId)) {
    throw new BadInputError(`Input qtest-project must be a positive whole number (the qTest project id); got "${projectId}".`);
  }
  return {
    configPath: input("config"),
    overrides: {
      zephyr: {
        url: input("zephyr-url"),
        token: core.getInput("zephyr-token") || undefined,
        projectKey: input("zephyr-project"),
      },
      qtest: {
        url: input("qtest-url"),
        token: core.getInput("qtest-token") || undefined,
        username: input("qtest-username"),
        password: core.getInput("qtest-password") || undefined,
        projectId: projectId === undefined ? undefined : Number(projectId),
      },
      state: input("state"),
    },
  };
}

export function booleanInput(name: string): boolean {
  const value = core.getInput(name).trim().toLowerCase();
  if (value === "" || value === "false") return false;
  if (value === "true") return true;
  throw new BadInputError(`Input ${name} must be true or false; got "${value}".`);
}

export function choiceInput<T extends string>(name: string, choices: readonly T[], fallback: T): T {
  const value = core.getInput(name).trim() || fallback;
  if (!(choices as readonly string[]).includes(value)) {
    throw new BadInputError(`Input ${name} must be one of ${choices.join(", ")}; got "${value}".`);
  }
  return value as T;
}

export function retentionDaysInput(): number | undefined {
  const value = core.getInput("retention-days").trim();
  if (value === "") return undefined;
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1 || days > 90) {
    throw new BadInputError(`Input retention-days must be a whole number from 1 to 90; got "${value}".`);
  }
  return days;
}
