import { ApiError } from "../../http/errors.js";

/** The object, or undefined when it is gone (404): the target may change while it is verified. */
export async function orMissing<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
}
