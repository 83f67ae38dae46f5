import { ApiError } from "./errors.js";

/** A read; undefined when what it reads does not exist (404), as for a call to a test case that is gone. */
export async function absentOn404<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
}
