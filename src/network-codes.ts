/**
 * Node's error codes for a server out of reach, shared by every PostgreSQL connection ZTOQ opens (the
 * state store's and the sql check's), so both tell "cannot reach" from "refused what was asked" alike.
 */

/** Node's codes for a server that cannot be reached or that went away. */
export const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "EPIPE",
  "EADDRNOTAVAIL",
  "ENOENT", // a Unix socket that is not there
]);
/** Node's codes for a host name that does not resolve. */
export const NAME_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NONAME"]);
