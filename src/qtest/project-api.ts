/** The requests of one qTest project: paths under `/api/v3/projects/{id}`, signed in, bodies parsed with a schema. */
import type { z } from "zod";
import { ApiError, parseResponse } from "../http/errors.js";
import type { HttpResponse, QueryValue, RequestOptions } from "../http/request.js";
import type { QTestSession } from "./auth.js";

export class ProjectApi {
  readonly #session: QTestSession;
  readonly #projectId: number;

  constructor(session: QTestSession, projectId: number) {
    this.#session = session;
    this.#projectId = projectId;
  }

  /** One request to `path` (relative to the project), answered with a 2xx. */
  call(method: string, path: string, options: RequestOptions): Promise<HttpResponse> {
    return this.#session.request(method, `/api/v3/projects/${this.#projectId}${path}`, options);
  }

  async get<S extends z.ZodType>(path: string, schema: S, searchParams?: Record<string, QueryValue>): Promise<z.infer<S>> {
    const response = await this.call("GET", path, { searchParams });
    return parseResponse(schema, response.json(), "GET", response.url);
  }

  async post<S extends z.ZodType>(path: string, schema: S, options: RequestOptions): Promise<z.infer<S>> {
    const response = await this.call("POST", path, options);
    return parseResponse(schema, response.json(), "POST", response.url);
  }

  async put<S extends z.ZodType>(
    path: string,
    schema: S,
    json: unknown,
    searchParams?: Record<string, QueryValue>,
  ): Promise<z.infer<S>> {
    const response = await this.call("PUT", path, { json, searchParams });
    return parseResponse(schema, response.json(), "PUT", response.url);
  }

  /** DELETE is idempotent: a 404 (already gone, perhaps by an earlier attempt whose answer was lost) is success. */
  async delete(path: string): Promise<void> {
    try {
      await this.call("DELETE", path, {});
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return;
      throw error;
    }
  }
}
