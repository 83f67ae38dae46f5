import type { Project } from "../../zephyr/schemas.js";

/** Zephyr answers references to other objects as `{id, self}`; these build them for one project. */
export class Refs {
  readonly #baseUrl: string;
  readonly #project: Project;

  constructor(baseUrl: string, project: Project) {
    this.#baseUrl = baseUrl;
    this.#project = project;
  }

  /** `<baseUrl>/<path>`, the API's own URL of something. */
  url(path: string): string {
    return `${this.#baseUrl}/${path}`;
  }

  project() {
    return { id: this.#project.id, self: this.url(`projects/${this.#project.id}`) };
  }

  to(collection: string, entity: { id: number }) {
    return { id: entity.id, self: this.url(`${collection}/${entity.id}`) };
  }

  user(accountId: string) {
    return { accountId, self: this.url(`user?accountId=${accountId}`) };
  }
}
