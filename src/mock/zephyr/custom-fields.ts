import type { Kind } from "./changes.js";
import { ZephyrApiError } from "./errors.js";

/**
 * The project's custom field names per kind of object. No endpoint lists them (docs/api-notes.md Z12),
 * so the mock takes them from the snapshot's objects: a name no object uses is unknown to the project.
 */
export class CustomFields {
  readonly #names: Record<Kind, Set<string>>;

  constructor(entities: Record<Kind, readonly { customFields?: Record<string, unknown> | null }[]>) {
    this.#names = {
      testcase: fieldNames(entities.testcase),
      testcycle: fieldNames(entities.testcycle),
      testexecution: fieldNames(entities.testexecution),
      testplan: fieldNames(entities.testplan),
    };
  }

  /** An unknown name is refused; an update (`requireAll`) must send every field (docs/api-notes.md Z7). */
  check(
    kind: Kind,
    values: Record<string, unknown> | undefined,
    options: { requireAll?: boolean } = {},
  ): Record<string, unknown> {
    const known = this.#names[kind];
    for (const name of Object.keys(values ?? {})) {
      if (!known.has(name)) {
        throw new ZephyrApiError(400, `A custom field name in the body does not exist for the project: '${name}'.`);
      }
    }
    if (options.requireAll) {
      const missing = [...known].filter((name) => !(name in (values ?? {})));
      if (missing.length > 0) {
        throw new ZephyrApiError(400, `Every custom field must be present on update; missing: ${missing.join(", ")}.`);
      }
    }
    return { ...values };
  }
}

function fieldNames(entities: readonly { customFields?: Record<string, unknown> | null }[]): Set<string> {
  const names = new Set<string>();
  for (const entity of entities) for (const name of Object.keys(entity.customFields ?? {})) names.add(name);
  return names;
}
