import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from "typeorm";
import { READ_TIMEOUT_MESSAGE, translateDatabaseError } from "../../src/errors/database";
import { UnavailableError } from "../../src/errors";
import { isUnexpected } from "../../src/errors/format";

// How the database's outages reach a client and the log: each is an UnavailableError (HTTP 503 with
// Retry-After), expected rather than a bug (no "unexpected error" with a stack). The processes that
// produce them are in *.pg.test.ts beside this file (frozen, terminated, start-waiting, outage).

const outages: [string, unknown][] = [
  // TypeORM, once PostgreSQL ended the session (57P01 on a fast stop) and the transaction goes on.
  ["a released query runner", new QueryRunnerAlreadyReleasedError()],
  ["a released query runner's manager", new QueryRunnerProviderAlreadyReleasedError()],
  // node-postgres' own limit, when the server does not answer at all.
  ["a statement with no answer", new QueryFailedError("SELECT 1", [], new Error(READ_TIMEOUT_MESSAGE))],
  ["a session ended by PostgreSQL", Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" })],
  ["a refused connection", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" })],
];

describe.each(outages)("when the database fails with %s", (_, error) => {
  it("then the client gets a 503 with Retry-After, and the log no stack", () => {
    const translated = translateDatabaseError(error);
    expect(translated).toBeInstanceOf(UnavailableError);
    const http = (translated as UnavailableError).extensions.http as { status: number; headers: Map<string, string> };
    expect(http.status).toBe(503);
    expect(http.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((translated as UnavailableError).message).not.toMatch(/SELECT|already released/);
    expect(isUnexpected(error)).toBe(false);
    expect(isUnexpected(translated)).toBe(false);
  });
});

it("when an error is a bug, then it is still unexpected (logged with its stack)", () => {
  expect(isUnexpected(new TypeError("x is undefined"))).toBe(true);
});
