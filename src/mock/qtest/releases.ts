import { z } from "zod";
import { QTEST_NAME_MAX } from "../../qtest/limits.js";
import { propertyInputSchema } from "../../qtest/schemas.js";
import type { ObjectLinks } from "./object-links.js";
import type { ReleaseRecord } from "./records.js";
import { apiUrl, iso, portalUrl, type Site } from "./site.js";

/** The body of `POST`/`PUT /releases` (Swagger `ReleaseWithCustomFieldResource`, what a client writes). */
export const releaseInputSchema = z.object({
  name: z.string().min(1).max(QTEST_NAME_MAX),
  properties: z.array(propertyInputSchema).optional(),
  description: z.string().nullish(),
  note: z.string().nullish(),
  start_date: z.string().nullish(),
  end_date: z.string().nullish(),
});
export type ReleaseInput = z.infer<typeof releaseInputSchema>;

/** Releases, at the top of the Test Plan tree. The mock places no test cycles under them. */
export class Releases {
  readonly #site: Site;
  readonly #links: ObjectLinks;

  constructor(site: Site, links: ObjectLinks) {
    this.#site = site;
    this.#links = links;
  }

  /** qTest lists closed releases only with `includeClosed`; the mock closes none, so every release is listed. */
  list(): ReleaseRecord[] {
    return this.#site.records.releases.values();
  }

  get(id: number): ReleaseRecord {
    return this.#site.records.releases.get(id);
  }

  create(input: ReleaseInput): ReleaseRecord {
    const { records, fields } = this.#site;
    const props = fields.merge("releases", input.properties ?? [], new Map());
    return records.releases.add(() => ({
      name: input.name,
      order: records.releases.size + 1,
      props,
      description: input.description ?? "",
      note: input.note ?? "",
      startDate: input.start_date ?? null,
      endDate: input.end_date ?? null,
    }));
  }

  update(id: number, input: Partial<ReleaseInput>): ReleaseRecord {
    const { records, fields } = this.#site;
    const record = this.get(id);
    const props = input.properties ? fields.merge("releases", input.properties, record.props) : record.props;
    if (input.name !== undefined) record.name = input.name;
    if (input.description !== undefined) record.description = input.description ?? "";
    if (input.note !== undefined) record.note = input.note ?? "";
    if (input.start_date !== undefined) record.startDate = input.start_date;
    if (input.end_date !== undefined) record.endDate = input.end_date;
    record.props = props;
    records.releases.touch(record);
    return record;
  }

  delete(id: number): void {
    this.get(id);
    this.#links.removeAll({ type: "releases", id });
    this.#site.records.releases.delete(id);
  }

  render(r: ReleaseRecord) {
    return {
      links: [{ rel: "self", href: apiUrl(this.#site, `releases/${r.id}`) }],
      id: r.id,
      pid: r.pid,
      name: r.name,
      order: r.order,
      properties: this.#site.fields.render("releases", r.props),
      web_url: portalUrl(this.#site, `project#tab=testplan&object=8&id=${r.id}`),
      description: r.description,
      note: r.note,
      start_date: r.startDate,
      end_date: r.endDate,
      created_date: iso(r.created),
      last_modified_date: iso(r.modified),
    };
  }
}
