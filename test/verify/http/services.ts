/**
 * Two small services for the http check's tests, on 127.0.0.1: the old one (source) and its rewrite
 * (target), with known differences. Each route of the target differs from the source in one known way,
 * and the per-call values (timestamps, ids) differ between any two calls, the source's own included.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Service {
  url: string;
  /** Requests received, by `METHOD path`. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

type Side = "old" | "new";
type Reply = { status?: number; headers?: Record<string, string>; json?: unknown; text?: string; delayMs?: number };

let calls = 0;
/** A value no two calls share, as a real service's clock and id generator would give. */
const stamp = () => `2026-12-01T10:00:00.${String(++calls).padStart(3, "0")}Z`;

const ITEMS = [
  { id: 1, name: "pen", price: 1.5 },
  { id: 2, name: "ink", price: 7 },
  { id: 3, name: "pad", price: 3 },
];

function orders(side: Side): unknown {
  const items =
    side === "old"
      ? ITEMS
      : // Reordered, one element inserted, one price changed.
        [ITEMS[2], { id: 4, name: "nib", price: 0.5 }, ITEMS[0], { ...ITEMS[1], price: 7.5 }];
  return {
    generatedAt: stamp(),
    traceId: randomUUID(),
    meta: { requestId: randomUUID(), page: 1 },
    items: items.map((item) => ({ ...item, updatedAt: stamp() })),
  };
}

function route(side: Side, method: string, path: string, request: IncomingMessage, hits: number): Reply {
  const auth = request.headers.authorization ?? "";
  switch (`${method} ${path}`) {
    case "GET /orders":
      return { json: orders(side) };
    case "GET /orders/2":
      return { json: side === "old" ? { id: 2, name: "ink", price: 7, currency: "EUR" } : { id: 2, name: "ink", price: 7 } };
    case "GET /customers/7":
      return { json: { id: 7, name: "Ada", email: "ada@example.org" } };
    case "GET /legacy":
      return side === "old" ? { json: { ok: true } } : { status: 410, json: { ok: true, error: "gone" } };
    case "GET /version":
      return { headers: { "x-api-version": side === "old" ? "1" : "2" }, json: { ok: true } };
    case "GET /health":
      return { text: side === "old" ? "ok" : "OK" };
    case "POST /echo":
      // The old service calls the field `authorization`, the new one `auth`: the token is in both differences.
      return { json: side === "old" ? { authorization: auth } : { auth } };
    case "GET /slow":
      return { delayMs: side === "new" ? 1500 : 0, json: { ok: true } };
    case "GET /throttled":
      // Throttled on its first call: the check waits and asks again instead of reporting a 429.
      return hits === 1 ? { status: 429, headers: { "retry-after": "0" }, json: { error: "slow down" } } : { json: { ok: true } };
    default:
      return { status: 404, json: { error: "no route" } };
  }
}

export async function startService(side: Side): Promise<Service> {
  const hits = new Map<string, number>();
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? "/").replace(/^\/api/, "");
    const key = `${request.method} ${path}`;
    hits.set(key, (hits.get(key) ?? 0) + 1);
    request.resume();
    request.on("end", () => {
      const reply = route(side, request.method ?? "GET", path, request, hits.get(key) ?? 0);
      const send = () => {
        if (response.destroyed) return;
        const isJson = reply.json !== undefined;
        response.writeHead(reply.status ?? 200, {
          "content-type": isJson ? "application/json; charset=utf-8" : "text/plain",
          ...reply.headers,
        });
        response.end(isJson ? JSON.stringify(reply.json) : (reply.text ?? ""));
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
