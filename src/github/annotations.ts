import * as core from "@actions/core";

export type AnnotationLevel = "error" | "warning" | "notice";

export interface AnnotationItem {
  level: AnnotationLevel;
  title: string;
  message: string;
}

export type AnnotationCounts = Record<AnnotationLevel, { emitted: number; dropped: number }>;

const emitters: Record<AnnotationLevel, (message: string, properties?: core.AnnotationProperties) => void> = {
  error: core.error,
  warning: core.warning,
  notice: core.notice,
};

/**
 * Emits at most `cap` annotations per level (GitHub shows about 10 errors and 10 warnings per step),
 * then, for each level that had more, one annotation "…and N more (see the report)" at that level.
 */
export function annotate(items: readonly AnnotationItem[], cap = 10): AnnotationCounts {
  const counts: AnnotationCounts = {
    error: { emitted: 0, dropped: 0 },
    warning: { emitted: 0, dropped: 0 },
    notice: { emitted: 0, dropped: 0 },
  };
  const limit = Math.max(0, Math.floor(cap));
  for (const item of items) {
    const count = counts[item.level];
    if (count.emitted < limit) {
      emitters[item.level](item.message, { title: item.title });
      count.emitted++;
    } else {
      count.dropped++;
    }
  }
  for (const level of ["error", "warning", "notice"] as const) {
    const { dropped } = counts[level];
    if (dropped > 0) emitters[level](`…and ${dropped} more (see the report)`, { title: `${dropped} more ${level}s` });
  }
  return counts;
}
