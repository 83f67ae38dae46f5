/** What one API client did on the wire, for reports and tests. */
/** A type alias, not an interface, so it fits `Record<string, number>` in reports. */
export type HttpStats = {
  /** Attempts sent (every retry counts). */
  requests: number;
  /** Attempts that were retries of an earlier one (after a 429, a 5xx, a timeout, a network error). */
  retries: number;
  /** 429 answers. */
  throttled: number;
  /** Calls that ended in an error after their retries. */
  failures: number;
  bytesSent: number;
  bytesReceived: number;
};

export function newHttpStats(): HttpStats {
  return { requests: 0, retries: 0, throttled: 0, failures: 0, bytesSent: 0, bytesReceived: 0 };
}
