import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";

export type FetchCallback = Parameters<typeof serve>[0]["fetch"];

export interface Listening {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves on 127.0.0.1 (port 0 picks a free one) and resolves once it accepts connections. Takes a
 * fetch callback rather than an app, so an app that must know its own URL can be built afterwards.
 */
export function listen(fetch: FetchCallback, port = 0): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname: "127.0.0.1" }, (info: AddressInfo) => {
      resolve({
        origin: `http://127.0.0.1:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            // Keep-alive sockets would hold close() open until their idle timeout.
            if ("closeAllConnections" in server) server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
    server.once("error", reject);
  });
}
