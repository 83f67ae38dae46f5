import type { HttpBindings } from "@hono/node-server";
import type { Context, MiddlewareHandler } from "hono";
import { SeededRandom } from "../random.js";

/** Conditions a mock imposes on every request, to rehearse what production APIs do to clients. */
export interface TrafficOptions {
  /** Added to every response, in milliseconds. */
  latencyMs?: number;
  /** Requests per second before the mock answers 429. */
  rateLimitRps?: number;
  /** Share of requests (0..1) answered with a 500/502/503 or a dropped connection. */
  faultRate?: number;
  /** Makes the fault sequence reproducible. */
  seed?: number;
}

/** What the mock did, for tests and benchmarks to assert on. */
export class TrafficStats {
  requests = 0;
  /** Writes (POST/PUT/DELETE) the client saw succeed. */
  writes = 0;
  throttled = 0;
  faults = 0;
  /** Faults injected after the request had been applied: the client cannot know whether it took effect. */
  faultsAfterApply = 0;
  /** Requests per `METHOD /path`, ids and keys in the path replaced by `:id` and `:key`. */
  readonly byRoute = new Map<string, number>();

  count(route: string): void {
    this.byRoute.set(route, (this.byRoute.get(route) ?? 0) + 1);
  }
}

export type MockEnv = { Bindings: HttpBindings };

export function latency(ms: number | undefined): MiddlewareHandler<MockEnv> {
  return async (_c, next) => {
    if (ms && ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
    await next();
  };
}

type Fault = { kind: 500 | 502 | 503 | "drop"; afterApply: boolean };

/**
 * Injects server errors and dropped connections. Half of the faults strike after the handler ran,
 * so a write may have been applied although the client saw a failure — the ambiguous case a
 * migration must reconcile rather than blindly retry.
 */
export function faults(options: TrafficOptions, stats: TrafficStats): MiddlewareHandler<MockEnv> {
  const rate = options.faultRate ?? 0;
  const random = new SeededRandom(options.seed ?? 1).fork("faults");
  const kinds = [500, 502, 503, "drop"] as const;
  return async (c, next) => {
    if (rate <= 0 || !random.chance(rate)) return next();
    const fault: Fault = { kind: random.pick(kinds), afterApply: random.chance(0.5) };
    stats.faults++;
    if (!fault.afterApply) return injure(c, fault);
    await next();
    stats.faultsAfterApply++;
    // After next() Hono sends c.res, not what a middleware returns; clear it first so none of the
    // real response's headers carry over.
    c.res = undefined;
    c.res = injure(c, fault);
  };
}

function injure(c: Context<MockEnv>, fault: Fault): Response {
  if (fault.kind === "drop") {
    c.env.incoming.socket.destroy();
    // The socket is gone; what is returned here is never sent.
    return new Response(null, { status: 500 });
  }
  const reasons = { 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable" } as const;
  return c.json({ message: reasons[fault.kind] }, fault.kind);
}

/** A request path with its ids and keys generalized, so requests of one kind count together. */
export function routeOf(path: string): string {
  return path.replace(/\/\d+(?=\/|$)/g, "/:id").replace(/\/[A-Z][A-Z0-9_]*-(?:[A-Z]{1,2})?\d+(?=\/|$)/g, "/:key");
}
