import type { Logger } from "../log/logger.js";
import { refusedAsBadInput } from "../mapping/preflight.js";
import type { QTestClient } from "../qtest/client.js";

/**
 * The qTest fields ZTOQ keeps on releases and requirements: looked up by label (as preflight does for
 * the other object types) and, when `create` is set, created when missing. Apart from preflight
 * because only a project with test plans or coverage to carry needs them: the rest never reads them.
 */
export async function traceabilityFields(
  qtest: QTestClient,
  objectType: "releases" | "requirements",
  wanted: readonly { label: string; dataType: number }[],
  options: { create: boolean; log: Logger; created: string[] },
): Promise<Map<string, number>> {
  const existing = await qtest.fields(objectType);
  const ids = new Map<string, number>();
  for (const { label, dataType } of wanted) {
    const found = existing.find((f) => f.label.trim().toLowerCase() === label.trim().toLowerCase());
    if (found) ids.set(label, found.id);
    else if (options.create) {
      options.log.info({ objectType, field: label }, "creating field in qTest");
      const field = await refusedAsBadInput(() => qtest.createField(objectType, { label, data_type: dataType, required: false }));
      ids.set(label, field.id);
      options.created.push(`${objectType}: ${label}`);
    }
  }
  return ids;
}
