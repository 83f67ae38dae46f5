/**
 * Links between qTest objects (docs/api-notes.md Q12): `POST`/`DELETE /{objectType}/{objectId}/link?type=`
 * with a JSON array of ids, and `GET /linked-artifacts?type=&ids=…` to read them back. At most
 * `LINK_CHUNK` ids go in one request — ZTOQ's own bound, not a documented qTest limit — so a long list
 * never meets an unknown body or URL size limit.
 */
import { z } from "zod";
import { ApiError, parseResponse } from "../http/errors.js";
import { classifyLinkedArtifacts, type LinkedArtifacts } from "./linked-object-type.js";
import type { ProjectApi } from "./project-api.js";
import { linkedArtifactContainerSchema } from "./schemas.js";

/** Objects ZTOQ links from (the Swagger allows builds, test-logs and test-steps too). */
export type LinkSourceType = "requirements" | "releases";
/** Objects ZTOQ links to. */
export type LinkTargetType = "test-cases" | "test-runs" | "requirements";
/** Objects whose links ZTOQ reads. */
export type LinkedArtifactsType = "test-cases" | "requirements" | "releases";

export interface LinkSource {
  type: LinkSourceType;
  id: number;
}

/** Ids per link, unlink or linked-artifacts request. */
export const LINK_CHUNK = 100;

/**
 * Links `ids` to `source`. Repeatable: linking what is already linked changes nothing and ids that
 * cannot be linked are ignored (Swagger), so a POST whose answer was lost is sent again like a PUT.
 */
export async function link(
  api: ProjectApi,
  source: LinkSource,
  targetType: LinkTargetType,
  ids: readonly number[],
): Promise<void> {
  for (const chunk of chunks(ids)) {
    await api.call("POST", linkPath(source), { searchParams: { type: targetType }, json: chunk, idempotent: true });
  }
}

/** Removes the links from `source` to `ids`. A source that is gone (404) took its links with it. */
export async function unlink(
  api: ProjectApi,
  source: LinkSource,
  targetType: LinkTargetType,
  ids: readonly number[],
): Promise<void> {
  for (const chunk of chunks(ids)) {
    try {
      await api.call("DELETE", linkPath(source), { searchParams: { type: targetType }, json: chunk });
    } catch (error) {
      // The source, or this chunk's targets, gone: their links with them. The next chunk may still hold some.
      if (error instanceof ApiError && error.status === 404) continue;
      throw error;
    }
  }
}

/** One container per asked id that exists, each linked object typed (./linked-object-type.ts). */
export async function linkedArtifacts(
  api: ProjectApi,
  type: LinkedArtifactsType,
  ids: readonly number[],
): Promise<LinkedArtifacts[]> {
  const all: LinkedArtifacts[] = [];
  for (const chunk of chunks(ids)) {
    const response = await api.call("GET", "/linked-artifacts", { searchParams: { type, ids: chunk } });
    const containers = parseResponse(z.array(linkedArtifactContainerSchema), response.json(), "GET", response.url);
    all.push(...containers.map(classifyLinkedArtifacts));
  }
  return all;
}

function linkPath(source: LinkSource): string {
  return `/${source.type}/${source.id}/link`;
}

function chunks(ids: readonly number[]): number[][] {
  const out: number[][] = [];
  for (let start = 0; start < ids.length; start += LINK_CHUNK) out.push(ids.slice(start, start + LINK_CHUNK));
  return out;
}
