import { QTestApiError } from "./errors.js";
import type { AttachmentRecord } from "./records.js";
import { iso, portalUrl, type Site } from "./site.js";

/** The object types `blob-handles` takes; not test runs (docs/api-notes.md Q10). */
const ATTACHABLE = ["releases", "builds", "requirements", "test-cases", "test-logs", "test-steps", "test-step-logs", "defects"];

/** Files uploaded to an object (`/{objectType}/{objectId}/blob-handles`), kept as bytes. */
export class Attachments {
  readonly #site: Site;

  constructor(site: Site) {
    this.#site = site;
  }

  add(objectType: string, objectId: number, name: string, contentType: string, bytes: Uint8Array) {
    this.#checkAttachable(objectType, objectId);
    return this.#render(this.#site.records.attachments.add(() => ({ name, contentType, bytes, objectType, objectId })));
  }

  list(objectType: string, objectId: number) {
    this.#checkAttachable(objectType, objectId);
    return this.#site.records.attachments
      .values()
      .filter((a) => a.objectType === objectType && a.objectId === objectId)
      .map((a) => this.#render(a));
  }

  get(objectType: string, objectId: number, attachmentId: number): AttachmentRecord {
    const record = this.#site.records.attachments.find(attachmentId);
    if (!record || record.objectType !== objectType || record.objectId !== objectId) {
      throw new QTestApiError(404, `Attachment ${attachmentId} does not exist on ${objectType} ${objectId}.`);
    }
    return record;
  }

  /** Only test cases, steps and logs exist in the mock, so only they can hold attachments. */
  #checkAttachable(objectType: string, objectId: number): void {
    const { records } = this.#site;
    if (!ATTACHABLE.includes(objectType)) {
      throw new QTestApiError(400, `objectType '${objectType}' must be one of ${ATTACHABLE.join(", ")}.`);
    }
    const exists =
      objectType === "test-cases"
        ? records.testCases.has(objectId)
        : objectType === "test-logs"
          ? records.testLogs.has(objectId)
          : objectType === "test-steps"
            ? records.testCases.values().some((t) => t.steps.some((s) => s.id === objectId))
            : false;
    if (!exists) throw new QTestApiError(404, `${objectType} ${objectId} does not exist.`);
  }

  #render(a: AttachmentRecord) {
    const { users } = this.#site;
    return {
      links: [],
      id: a.id,
      name: a.name,
      content_type: a.contentType,
      web_url: portalUrl(this.#site, `attachment/${a.objectType}/attachmentId/${a.id}`),
      created_date: iso(a.created),
      author: { id: users[0]?.id, username: users[0]?.username },
      artifact_id: a.objectId,
    };
  }
}
