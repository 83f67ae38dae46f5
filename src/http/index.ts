export { backoffDelay, parseRetryAfter, sleep } from "./backoff.js";
export {
  ApiError,
  type ApiErrorKind,
  isAmbiguous,
  kindOfStatus,
  parseResponse,
  redactUrl,
  UnexpectedResponseError,
} from "./errors.js";
export { type PacingOptions, pacedHttpOptions } from "./pacing.js";
export { type Permit, RateGate, type RateGateOptions, type RateGateState } from "./rate-gate.js";
export { HttpClient, type HttpClientOptions, type HttpResponse, type QueryValue, type RequestOptions } from "./request.js";
export { type HttpStats, newHttpStats } from "./stats.js";
