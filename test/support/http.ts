/**
 * A tiny JSON-over-HTTP client for tests that talk to a server for real (global fetch, no mocking
 * of the transport). Bodies are parsed as JSON when they are JSON and left as text otherwise.
 */

export interface HttpResult {
  status: number;
  headers: Headers;
  /** Parsed JSON, the raw text when it is not JSON, or null for an empty body. */
  body: unknown;
}

export interface RequestOptions {
  body?: unknown;
  /** undefined: the client's token; null: no Authorization header; a string: `Bearer <string>`. */
  token?: string | null;
  headers?: Record<string, string>;
}

export interface HttpClient {
  readonly baseUrl: string;
  request(method: string, pathOrUrl: string, options?: RequestOptions): Promise<HttpResult>;
  get(pathOrUrl: string, options?: RequestOptions): Promise<HttpResult>;
  post(pathOrUrl: string, body: unknown, options?: RequestOptions): Promise<HttpResult>;
  put(pathOrUrl: string, body: unknown, options?: RequestOptions): Promise<HttpResult>;
}

/** A client for `baseUrl` (no trailing slash); paths are appended, absolute URLs are used as they are. */
export function httpClient(baseUrl: string, token: string | null): HttpClient {
  const request = async (method: string, pathOrUrl: string, options: RequestOptions = {}): Promise<HttpResult> => {
    const url = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${baseUrl}${pathOrUrl}`;
    const headers: Record<string, string> = { accept: "application/json", ...options.headers };
    const bearer = options.token === undefined ? token : options.token;
    if (bearer !== null && headers.authorization === undefined) headers.authorization = `Bearer ${bearer}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] = "application/json";
    }
    const response = await fetch(url, { method, headers, body });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: parseBody(text) };
  };
  return {
    baseUrl,
    request,
    get: (pathOrUrl, options) => request("GET", pathOrUrl, options),
    post: (pathOrUrl, body, options) => request("POST", pathOrUrl, { ...options, body }),
    put: (pathOrUrl, body, options) => request("PUT", pathOrUrl, { ...options, body }),
  };
}

/** `path` with query parameters appended (undefined values are left out). */
export function withQuery(path: string, params: Record<string, string | number | boolean | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) query.set(name, String(value));
  const text = query.toString();
  if (text === "") return path;
  return `${path}${path.includes("?") ? "&" : "?"}${text}`;
}

function parseBody(text: string): unknown {
  if (text === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
