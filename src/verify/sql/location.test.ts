import { describe, expect, it } from "vitest";
import { BadInputError } from "../../errors.js";
import { parseLocation, redact } from "./location.js";

describe("a side's location", () => {
  it("describes PostgreSQL by host, port and database, never the user or password", () => {
    const location = parseLocation("postgres://app:s3cr%3Ft@db.internal:6432/shop?sslmode=require", "source", "/checks");
    expect(location).toMatchObject({ engine: "postgres", display: "postgres://db.internal:6432/shop" });
    expect(redact("failed for postgres://app:s3cr%3Ft@db.internal:6432/shop?sslmode=require: s3cr?t", location)).toBe(
      "failed for ***: ***",
    );
  });

  it(`expands \${VAR} from the environment and keeps the values secret`, () => {
    const location = parseLocation(`postgres://app:\${DB_PASSWORD}@db/shop`, "target", "/checks", { DB_PASSWORD: "hunter2" });
    expect(location.connect).toBe("postgres://app:hunter2@db/shop");
    expect(location.display).toBe("postgres://db:5432/shop");
    expect(redact("password hunter2 refused", location)).toBe("password *** refused");
    expect(() => parseLocation(`postgres://app:\${NOPE}@db/shop`, "target", "/checks", {})).toThrow(/\$\{NOPE\} is not set/);
    const whole = parseLocation(`\${OLD_DB}`, "source", "/checks", { OLD_DB: "postgres://app:pw@old:5433/shop" });
    expect(whole).toMatchObject({ engine: "postgres", display: "postgres://old:5433/shop" });
    expect(() => parseLocation(`\${OLD_DB}`, "source", "/checks", { OLD_DB: "mysql://old/shop" })).toThrow(/expected postgres/);
  });

  it(`names a \${VAR} where its value would show in the description`, () => {
    const env = { DB_HOST: "db.internal.example", DB_NAME: "shop_private", DATA: "/srv/tenant-data" };
    const host = parseLocation(`postgres://app@\${DB_HOST}:6432/\${DB_NAME}`, "source", "/checks", env);
    expect(host.display).toBe(`postgres://\${DB_HOST}:6432/\${DB_NAME}`);
    expect(host.connect).toBe("postgres://app@db.internal.example:6432/shop_private");
    const file = parseLocation(`sqlite:\${DATA}/orders.db`, "target", "/checks", env);
    expect(file).toMatchObject({ display: `sqlite:\${DATA}/orders.db`, connect: "/srv/tenant-data/orders.db" });
    expect(redact("cannot open /srv/tenant-data/orders.db", file)).toBe("cannot open ***/orders.db");
  });

  it("resolves a SQLite path against the checks file's directory", () => {
    expect(parseLocation("sqlite:data/new.db", "target", "/checks")).toMatchObject({
      engine: "sqlite",
      connect: "/checks/data/new.db",
      display: "sqlite:data/new.db",
    });
    expect(parseLocation("sqlite:/var/new.db", "target", "/checks").connect).toBe("/var/new.db");
    expect(() => parseLocation("sqlite:", "target", "/checks")).toThrow(BadInputError);
    expect(() => parseLocation("postgres://[bad", "source", "/checks")).toThrow(/not a valid postgres:\/\/ URL/);
  });
});
