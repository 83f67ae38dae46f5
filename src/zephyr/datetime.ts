/** Zephyr's timestamp format, `yyyy-MM-dd'T'HH:mm:ss'Z'`: UTC, whole seconds. */
export function toZephyrDateTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
