/**
 * The reports' "Not carried to qTest" section: its schema (defined once in src/plan, where the tally
 * that fills it lives, since the plan may not import the report) and its Markdown and plain-text tables.
 */
import type { NotCarriedSection, SourceEntity } from "../plan/not-carried.js";
import { textCell, textTable } from "./table-text.js";

export { type NotCarriedEntry, type NotCarriedSection, notCarriedSectionSchema } from "../plan/not-carried.js";

export const NOT_CARRIED_TITLE = "Not carried to qTest";

/** What the section says when the source holds nothing qTest did not receive. */
export const NOTHING_NOT_CARRIED = `${NOT_CARRIED_TITLE}: nothing — qTest received everything the source holds.`;

const ENTITY_LABELS: Record<SourceEntity, string> = {
  testCase: "Test case",
  testStep: "Test step",
  testCycle: "Test cycle",
  testPlan: "Test plan",
  testExecution: "Test execution",
};

function keysText(entry: { keys: readonly string[]; moreKeys: boolean }, quote: (key: string) => string): string {
  return `${entry.keys.map(quote).join(", ")}${entry.moreKeys ? ", …" : ""}`;
}

function markdownCell(text: string): string {
  return text.replaceAll("|", "\\|").replace(/\s+/g, " ");
}

/** A Markdown table under a heading of the level given (`###`), or the one "nothing" line. */
export function notCarriedMarkdown(section: NotCarriedSection, heading = "###"): string[] {
  if (section.items.length === 0) return [NOTHING_NOT_CARRIED, ""];
  return [
    `${heading} ${NOT_CARRIED_TITLE}: ${section.total}`,
    "",
    "| Entity | Field or relation | Reason | Count | Keys (up to 20) |",
    "|---|---|---|---:|---|",
    ...section.items.map(
      (e) =>
        `| ${ENTITY_LABELS[e.entity]} | \`${markdownCell(e.field)}\` | ${markdownCell(e.reason)} | ${e.count} | ` +
        `${keysText(e, (key) => `\`${markdownCell(key)}\``)} |`,
    ),
    "",
  ];
}

/** The same as a plain-text table for a terminal, or the one "nothing" line. */
export function notCarriedText(section: NotCarriedSection): string[] {
  if (section.items.length === 0) return [NOTHING_NOT_CARRIED, ""];
  return [
    `${NOT_CARRIED_TITLE}: ${section.total}`,
    ...textTable(
      ["Entity", "Field or relation", "Reason", "Count", "Keys"],
      section.items.map((e) => [
        ENTITY_LABELS[e.entity],
        textCell(e.field, 40),
        textCell(e.reason, 100),
        String(e.count),
        textCell(
          keysText(e, (key) => key),
          80,
        ),
      ]),
      ["left", "left", "left", "right", "left"],
    ),
    "",
  ];
}
