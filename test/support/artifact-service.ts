/**
 * An in-process stand-in for the GitHub Actions artifact backend that `@actions/artifact` 6 talks to,
 * on 127.0.0.1 (real HTTP, nothing mocked in the client):
 *
 * 1. Twirp JSON `POST /twirp/github.actions.results.api.v1.ArtifactService/CreateArtifact`
 *    (Bearer runtime token) → `{ok, signed_upload_url}` pointing back at this server;
 * 2. Azure block-blob upload on that URL, no Authorization header: `PUT …&comp=block&blockid=…`,
 *    then `PUT …&comp=blocklist` with `<BlockList><Latest>id</Latest>…</BlockList>`;
 * 3. `POST …/FinalizeArtifact` → `{ok, artifact_id}`.
 *
 * Uploaded bytes are kept per artifact name; `readZip` unpacks them with `node:zlib`.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { crc32, inflateRawSync } from "node:zlib";

const TWIRP_PREFIX = "/twirp/github.actions.results.api.v1.ArtifactService/";
const BLOB_PREFIX = "/devstoreaccount1/actions-results/";

export interface StoredArtifact {
  id: number;
  name: string;
  /** The CreateArtifact request body as sent (proto field names). */
  createRequest: Record<string, unknown>;
  /** The FinalizeArtifact request body, once finalized. */
  finalizeRequest?: Record<string, unknown>;
  /** `expires_at` from CreateArtifact (RFC 3339), when a retention was asked for. */
  expiresAt?: string;
  /** The committed blob (a zip unless skipArchive); empty until the block list is committed. */
  bytes: Buffer;
  finalized: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
}

export interface ArtifactFailures {
  /** Answer CreateArtifact with this status (Twirp error body). 4xx fail at once; 5xx are retried by the client. */
  create?: number;
  /** Answer every block PUT with this status (Azure error body). */
  block?: number;
  /** Answer FinalizeArtifact with this status. */
  finalize?: number;
}

export interface ArtifactService {
  url: string;
  runBackendId: string;
  jobBackendId: string;
  token: string;
  /** Artifacts by name. */
  artifacts: Map<string, StoredArtifact>;
  requests: RecordedRequest[];
  /** Mutable: set to make the next requests fail. */
  failures: ArtifactFailures;
  /** The variables `@actions/artifact` reads (set them on `process.env` around the call). */
  env(): Record<string, string>;
  stop(): Promise<void>;
}

export async function startArtifactService(): Promise<ArtifactService> {
  const runBackendId = "11111111-2222-3333-4444-555555555555";
  const jobBackendId = "66666666-7777-8888-9999-000000000000";
  const token = unsignedJwt({
    scp: `Actions.ExampleScope Actions.Results:${runBackendId}:${jobBackendId}`,
    iss: "ztoq-test",
    exp: Math.floor(Date.now() / 1000) + 3600,
  });
  const signature = randomBytes(12).toString("hex");
  const artifacts = new Map<string, StoredArtifact>();
  const requests: RecordedRequest[] = [];
  const failures: ArtifactFailures = {};
  /** Staged blocks per blob path, and committed blobs per blob path. */
  const staged = new Map<string, Map<string, Buffer>>();
  const blobs = new Map<string, Buffer>();
  let nextId = 1000;
  let url = "";

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = new URL(req.url ?? "/", "http://127.0.0.1");
    requests.push({ method: req.method ?? "", path: target.pathname + target.search, authorization: req.headers.authorization });
    const body = await readBody(req);

    if (req.method === "POST" && target.pathname.startsWith(TWIRP_PREFIX)) {
      if (req.headers.authorization !== `Bearer ${token}`) return twirpError(res, 401, "unauthenticated", "bad runtime token");
      let request: Record<string, unknown>;
      try {
        request = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
      } catch {
        return twirpError(res, 400, "malformed", "body is not JSON");
      }
      if (request.workflow_run_backend_id !== runBackendId || request.workflow_job_run_backend_id !== jobBackendId) {
        return twirpError(res, 400, "invalid_argument", "backend ids do not match the token");
      }
      const name = typeof request.name === "string" ? request.name : "";
      const method = target.pathname.slice(TWIRP_PREFIX.length);
      if (method === "CreateArtifact") {
        if (failures.create !== undefined)
          return twirpError(res, failures.create, "internal", "CreateArtifact refused by the stand-in");
        if (request.version !== 7) return twirpError(res, 400, "invalid_argument", "expected version 7");
        if (artifacts.get(name)?.finalized)
          return twirpError(res, 409, "already_exists", `an artifact named ${name} already exists`);
        const artifact: StoredArtifact = { id: nextId++, name, createRequest: request, bytes: Buffer.alloc(0), finalized: false };
        if (typeof request.expires_at === "string") artifact.expiresAt = request.expires_at;
        artifacts.set(name, artifact);
        const blobPath = blobPathOf(artifact);
        const se = new Date(Date.now() + 3_600_000).toISOString();
        const signedUploadUrl = `${url}${blobPath}?sv=2024-08-04&sr=b&sp=cw&se=${encodeURIComponent(se)}&sig=${signature}`;
        return json(res, 200, { ok: true, signed_upload_url: signedUploadUrl });
      }
      if (method === "FinalizeArtifact") {
        if (failures.finalize !== undefined)
          return twirpError(res, failures.finalize, "internal", "FinalizeArtifact refused by the stand-in");
        const artifact = artifacts.get(name);
        if (!artifact) return twirpError(res, 404, "not_found", `no artifact named ${name}`);
        const bytes = blobs.get(blobPathOf(artifact)) ?? Buffer.alloc(0);
        if (String(request.size) !== String(bytes.length)) {
          return twirpError(
            res,
            400,
            "invalid_argument",
            `size ${String(request.size)} but ${bytes.length} bytes were committed`,
          );
        }
        const hash = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
        if (request.hash !== undefined && request.hash !== hash) return twirpError(res, 400, "invalid_argument", "hash mismatch");
        artifact.bytes = bytes;
        artifact.finalizeRequest = request;
        artifact.finalized = true;
        return json(res, 200, { ok: true, artifact_id: String(artifact.id) });
      }
      return twirpError(res, 404, "bad_route", `no method ${method}`);
    }

    if (req.method === "PUT" && target.pathname.startsWith(BLOB_PREFIX)) {
      if (target.searchParams.get("sig") !== signature) return azureError(res, 403, "AuthenticationFailed", "bad signature");
      if (req.headers.authorization !== undefined) return azureError(res, 400, "InvalidHeaderValue", "unexpected Authorization");
      const path = target.pathname;
      const comp = target.searchParams.get("comp");
      if (comp === "block") {
        if (failures.block !== undefined) return azureError(res, failures.block, "ServerBusy", "block refused by the stand-in");
        const blockId = target.searchParams.get("blockid");
        if (!blockId) return azureError(res, 400, "InvalidQueryParameterValue", "blockid missing");
        const blocks = staged.get(path) ?? new Map<string, Buffer>();
        blocks.set(blockId, body);
        staged.set(path, blocks);
        return created(res);
      }
      if (comp === "blocklist") {
        const blocks = staged.get(path) ?? new Map<string, Buffer>();
        const ids = [...body.toString("utf8").matchAll(/<(Latest|Uncommitted|Committed)>([^<]*)<\/\1>/g)].map((m) => m[2] ?? "");
        const parts: Buffer[] = [];
        for (const id of ids) {
          const block = blocks.get(id);
          if (!block) return azureError(res, 400, "InvalidBlockList", `unknown block ${id}`);
          parts.push(block);
        }
        blobs.set(path, Buffer.concat(parts));
        staged.delete(path);
        return created(res);
      }
      // A single-shot Put Blob (not used by uploadStream, accepted for completeness).
      blobs.set(path, body);
      return created(res);
    }

    res.writeHead(404, { "content-type": "text/plain" }).end(`no route ${req.method} ${target.pathname}`);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    runBackendId,
    jobBackendId,
    token,
    artifacts,
    requests,
    failures,
    env: () => ({
      ACTIONS_RUNTIME_TOKEN: token,
      ACTIONS_RESULTS_URL: `${url}/`,
      // The client refuses GHES: only github.com, *.ghe.com and *.localhost count as "not GHES".
      GITHUB_SERVER_URL: "https://github.com",
      // Real runners set the repository's maximum retention; pin it so a run inside Actions is deterministic.
      GITHUB_RETENTION_DAYS: "90",
      NO_PROXY: "127.0.0.1,localhost",
      no_proxy: "127.0.0.1,localhost",
    }),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** An unsigned JWT (`alg: none`): the artifact client decodes the token, it does not verify it. */
export function unsignedJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "none", typ: "JWT" })}.${part(claims)}.`;
}

/**
 * The files of a zip archive, by path (directories left out). Reads the central directory, so it
 * handles archives streamed with data descriptors; stored and deflated entries; checks each CRC-32.
 */
export function readZip(zip: Buffer): Map<string, Buffer> {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error("not a zip: no end-of-central-directory record");
  const entries = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  if (entries === 0xffff || offset === 0xffffffff) throw new Error("zip64 archives are not supported by this reader");
  const files = new Map<string, Buffer>();
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error(`bad central directory entry at ${offset}`);
    const method = zip.readUInt16LE(offset + 10);
    const crc = zip.readUInt32LE(offset + 16);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localOffset = zip.readUInt32LE(offset + 42);
    const name = zip.subarray(offset + 46, offset + 46 + nameLength).toString("utf8");
    offset += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith("/")) continue;
    if (zip.readUInt32LE(localOffset) !== 0x04034b50) throw new Error(`bad local header for ${name}`);
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) data = inflateRawSync(raw);
    else throw new Error(`${name}: unsupported compression method ${method}`);
    if (data.length !== size) throw new Error(`${name}: ${data.length} bytes, expected ${size}`);
    if (crc32(data) !== crc) throw new Error(`${name}: CRC-32 mismatch`);
    files.set(name, data);
  }
  return files;
}

/** Where the stand-in stores an artifact's blob (keyed by id, so any name is safe in the URL). */
function blobPathOf(artifact: StoredArtifact): string {
  return `${BLOB_PREFIX}${artifact.id}/artifact.zip`;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/** Twirp errors are JSON `{code, msg}`; the client reads `msg`. */
function twirpError(res: ServerResponse, status: number, code: string, msg: string): void {
  json(res, status, { code, msg });
}

function created(res: ServerResponse): void {
  res
    .writeHead(201, {
      "x-ms-request-id": randomBytes(8).toString("hex"),
      "x-ms-version": "2024-08-04",
      "x-ms-request-server-encrypted": "true",
      date: new Date().toUTCString(),
    })
    .end();
}

function azureError(res: ServerResponse, status: number, code: string, message: string): void {
  res
    .writeHead(status, { "content-type": "application/xml", "x-ms-error-code": code })
    .end(`<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}
