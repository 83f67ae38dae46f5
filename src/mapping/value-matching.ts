/**
 * Default resolution by name, for values the config does not map: the same label in any case, or a
 * well-known synonym between Zephyr's and qTest's out-of-the-box values.
 */
const synonyms: Record<string, string[]> = {
  // execution statuses
  pass: ["passed"],
  passed: ["pass"],
  fail: ["failed"],
  failed: ["fail"],
  "not executed": ["unexecuted", "not run"],
  unexecuted: ["not executed"],
  "in progress": ["incomplete", "in progress"],
  blocked: ["blocked"],
  // priorities
  normal: ["medium"],
  medium: ["normal"],
  critical: ["urgent"],
  urgent: ["critical"],
  // test case statuses
  draft: ["new"],
  deprecated: ["obsolete"],
  approved: ["approved", "baseline"],
  // booleans (checkbox custom fields into yes/no selects)
  true: ["yes"],
  false: ["no"],
  // cycle statuses
  done: ["done", "complete", "completed"],
};

export interface Choice {
  id: string;
  label: string;
}

/** The configured label wins; else the same label; else a synonym. Undefined when nothing fits. */
export function matchChoice(source: string, choices: readonly Choice[], configured?: string): Choice | undefined {
  const byLabel = (label: string) => choices.find((c) => c.label.toLowerCase() === label.toLowerCase());
  if (configured !== undefined) return byLabel(configured) ?? choices.find((c) => c.id === configured);
  const direct = byLabel(source);
  if (direct) return direct;
  for (const alternative of synonyms[source.toLowerCase()] ?? []) {
    const match = byLabel(alternative);
    if (match) return match;
  }
  return undefined;
}
