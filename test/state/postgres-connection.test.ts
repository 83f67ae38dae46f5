import { createServer, type Server, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { createStateStore } from "../../src/state/open-store.js";
import { PostgresStateStore } from "../../src/state/postgres-store.js";
import { StateStoreError } from "../../src/state/store.js";
import { ADMIN_URL, postgresAvailable, urlForDatabase } from "../support/postgres.js";

// As in postgres-store.test.ts, which warns when the server is missing: in CI that fails rather than skips.
const available = await postgresAvailable();
const required = Boolean(process.env.CI) || process.env.ZTOQ_REQUIRE_POSTGRES === "1";

const admin = new URL(ADMIN_URL);
const serverHost = admin.hostname.replace(/^\[(.+)\]$/, "$1");

describe.skipIf(!available && !required)("PostgresStateStore connection errors", () => {
  it("reports a closed port as unreachable, naming host and port but not the password", async () => {
    const port = await closedPort();
    const error = await openError(`postgres://ztoq:s3cret-VALUE@127.0.0.1:${port}/ztoq`);

    expect(error).toMatchObject({ name: "StateStoreError", reason: "unreachable" });
    expect(error).toMatchObject({ message: expect.stringContaining(`127.0.0.1:${port}`) });
    expectNoSecret(error, "s3cret-VALUE");
  });

  it("reports a host that is not found as unreachable", async () => {
    const error = await openError("postgres://ztoq:s3cret-VALUE@ztoq-db.invalid:5433/ztoq");

    expect(error).toMatchObject({ name: "StateStoreError", reason: "unreachable" });
    expect(error).toMatchObject({ message: expect.stringMatching(/ztoq-db\.invalid:5433.*not found/) });
    expectNoSecret(error, "s3cret-VALUE");
  });

  it("gives up on a server that never answers after the connect timeout", async () => {
    const silent = await silentServer();
    try {
      const store = new PostgresStateStore(`postgres://ztoq:s3cret-VALUE@127.0.0.1:${silent.port}/ztoq`, {
        connectTimeoutMs: 300,
      });
      const started = Date.now();
      const error = await store.open().then(
        () => undefined,
        (caught: unknown) => caught,
      );

      expect(Date.now() - started).toBeLessThan(5_000);
      expect(error).toMatchObject({ name: "StateStoreError", reason: "unreachable" });
      expect(error).toMatchObject({ message: expect.stringMatching(new RegExp(`127\\.0\\.0\\.1:${silent.port}.*timeout`)) });
      expectNoSecret(error, "s3cret-VALUE");
    } finally {
      await silent.close();
    }
  });

  it("reports a user the server does not know as a credentials problem, without the password", async () => {
    const error = await openError(`postgres://nobody:s3cret-VALUE@${admin.host}/postgres`);

    expect(error).toMatchObject({ name: "StateStoreError", reason: "credentials" });
    expect(error).toMatchObject({ message: expect.stringContaining(`nobody@${serverHost}`) });
    expectNoSecret(error, "s3cret-VALUE");
  });

  it("reports a database that does not exist as a credentials problem, naming the database", async () => {
    const error = await openError(urlForDatabase("ztoq_test_missing_database"));

    expect(error).toMatchObject({ name: "StateStoreError", reason: "credentials" });
    expect(error).toMatchObject({ message: expect.stringContaining('"ztoq_test_missing_database"') });
  });
});

describe("PostgresStateStore location", () => {
  it.each([
    ["postgres://ztoq:s3cret@db.example.com:6543/state", "ztoq@db.example.com:6543/state"],
    ["postgresql://ztoq:s3cret@db.example.com/state", "ztoq@db.example.com:5432/state"],
    ["postgres://ztoq:s3%40cret@[::1]:6543/state", "ztoq@[::1]:6543/state"],
    ["postgres://ztoq@db.example.com/state?password=s3cret", "ztoq@db.example.com:5432/state"],
  ])("names %s as %s", (url, location) => {
    expect(new PostgresStateStore(url).location).toBe(location);
  });

  it.each(["postgres://ztoq:s3cret@db:5432/ztoq", "postgresql://ztoq:s3cret@db/ztoq", "POSTGRES://ztoq@db/ztoq"])(
    "createStateStore opens %s as a PostgreSQL store, without the password in its location",
    (location) => {
      const store = createStateStore(location);
      expect(store).toBeInstanceOf(PostgresStateStore);
      expect(store.location).toBe("ztoq@db:5432/ztoq");
    },
  );
});

function expectNoSecret(error: unknown, secret: string): void {
  expect(error).toBeInstanceOf(StateStoreError);
  const text = error instanceof Error ? `${error.message}\n${error.stack ?? ""}\n${JSON.stringify(error)}` : String(error);
  expect(text).not.toContain(secret);
  expect(text).not.toContain(encodeURIComponent(secret));
}

async function openError(url: string): Promise<unknown> {
  const store = new PostgresStateStore(url);
  return store.open().then(
    async () => {
      await store.close();
      return undefined;
    },
    (caught: unknown) => caught,
  );
}

/** A port on 127.0.0.1 that nothing listens on: bound by the system, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** Accepts connections and never says a word, as a firewall that drops packets would look to a client. */
async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return {
    port: address.port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
