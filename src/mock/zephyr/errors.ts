/** An error the mock answers with `{errorCode, message}`, as Zephyr does. */
export class ZephyrApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The value, or Zephyr's 404 for `what`. */
export function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new ZephyrApiError(404, `${what} does not exist or you do not have access to it.`);
  return value;
}
