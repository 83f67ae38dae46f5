/**
 * Signing in to qTest: every request carries the session's Authorization header. An API token is
 * the session; a username and password are exchanged for one at the token endpoint, and again
 * when qTest rejects it.
 */
import { BadInputError } from "../errors.js";
import { ApiError, parseResponse } from "../http/errors.js";
import type { HttpClient, HttpResponse, RequestOptions } from "../http/request.js";
import { oauthTokenSchema } from "./schemas.js";

/** How ZTOQ signs in to qTest: a long-lived API token, or a username and password exchanged for one. */
export type QTestAuth = { kind: "token"; token: string } | { kind: "password"; username: string; password: string };

/** Basic credentials of the token endpoint: a client name and an empty password (docs/api-notes.md Q1). */
const OAUTH_CLIENT = `Basic ${Buffer.from("ztoq:").toString("base64")}`;

interface Session {
  header: string;
}

export class QTestSession {
  readonly #http: HttpClient;
  readonly #auth: QTestAuth;
  readonly #stats: { logins: number };
  #session: Session | undefined;
  #loggingIn: Promise<Session> | undefined;

  /** `stats.logins` counts the password logins, the first one included. */
  constructor(http: HttpClient, auth: QTestAuth, stats: { logins: number }) {
    this.#http = http;
    this.#auth = auth;
    this.#stats = stats;
    if (auth.kind === "token") this.#session = { header: `bearer ${auth.token}` };
  }

  /**
   * One request with the session's Authorization header. On a 401 with username/password the
   * client logs in again — once, shared by every request that saw the same stale session — and
   * repeats the request once. A 401 that survives that, or any 401 with a token, is bad input.
   */
  async request(method: string, path: string, options: RequestOptions): Promise<HttpResponse> {
    const session = await this.#currentSession();
    try {
      return await this.#http.request(method, path, withAuthorization(options, session.header));
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) throw error;
      if (this.#auth.kind === "token") throw new BadInputError(`qTest rejected the token (HTTP 401) at ${this.#http.baseUrl}`);
    }
    const renewed = await this.#currentSession(session);
    try {
      return await this.#http.request(method, path, withAuthorization(options, renewed.header));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        throw new BadInputError(`qTest rejected the session of '${this.#username()}' (HTTP 401) at ${this.#http.baseUrl}`);
      }
      throw error;
    }
  }

  /** The session to use; a new login when there is none yet or the caller saw `stale` rejected. */
  #currentSession(stale?: Session): Promise<Session> {
    if (this.#loggingIn) return this.#loggingIn;
    if (this.#session && this.#session !== stale) return Promise.resolve(this.#session);
    const login = this.#logIn().then((session) => {
      this.#session = session;
      return session;
    });
    this.#loggingIn = login;
    const clear = () => {
      if (this.#loggingIn === login) this.#loggingIn = undefined;
    };
    login.then(clear, clear);
    return login;
  }

  /**
   * `POST /oauth/token` with the password grant. Retried like a read: a second token is harmless.
   * A 400 or 401 means the credentials (or the client header) were refused.
   */
  async #logIn(): Promise<Session> {
    if (this.#auth.kind !== "password") throw new Error("a token session needs no login");
    this.#stats.logins++;
    const form = new URLSearchParams({ grant_type: "password", username: this.#auth.username, password: this.#auth.password });
    let response: HttpResponse;
    try {
      response = await this.#http.request("POST", "/oauth/token", {
        body: form.toString(),
        headers: { authorization: OAUTH_CLIENT, "content-type": "application/x-www-form-urlencoded" },
        idempotent: true,
      });
    } catch (error) {
      if (error instanceof ApiError && (error.status === 400 || error.status === 401)) {
        throw new BadInputError(`qTest rejected the username/password at ${this.#http.baseUrl}`);
      }
      throw error;
    }
    const token = parseResponse(oauthTokenSchema, response.json(), "POST", response.url);
    return { header: `${token.token_type || "bearer"} ${token.access_token}` };
  }

  #username(): string {
    return this.#auth.kind === "password" ? this.#auth.username : "token";
  }
}

function withAuthorization(options: RequestOptions, header: string): RequestOptions {
  return { ...options, headers: { ...options.headers, authorization: header } };
}
