/** Small value helpers the config modules share: plain objects, blank strings, prototype-safe keys. */

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Trimmed, and undefined when blank: an unset action input is an empty string, not an absent one. */
export function blankToUndefined(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}

/** Assignment that treats `__proto__` as an ordinary key. */
export function defineValue(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Sets `value` at a dotted path, creating the objects on the way. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  const last = keys.pop() ?? path;
  let node = target;
  for (const key of keys) {
    const child = Object.hasOwn(node, key) ? node[key] : undefined;
    if (!isPlainObject(child)) defineValue(node, key, {});
    node = node[key] as Record<string, unknown>;
  }
  defineValue(node, last, value);
}

/** The value at a dotted path, or undefined. */
export function getPath(source: unknown, path: string): unknown {
  let node = source;
  for (const key of path.split(".")) {
    if (!isPlainObject(node) || !Object.hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return node;
}
