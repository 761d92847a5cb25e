import net from "node:net";
import fs from "node:fs";
import path from "node:path";
import { ErrorCode } from "../../src/errors";
import { ROOT } from "../../src/root";
import { startTestApp, TestApp } from "../helpers/app";
import { createLogger } from "../../src/log";

// One error shape on every route ({"errors":[{"message","extensions":{"code","requestId"}}]} and
// the x-request-id header), one log line per request (refusals included), and the fields of every
// BAD_USER_INPUT, graphql-js's own included.

let app: TestApp;
let base: string;
let lockedBase: string;
const raw: string[] = [];
const lines = () => raw.map((line) => JSON.parse(line) as Record<string, any>);

beforeAll(async () => {
  app = await startTestApp({ seed: true });
  const logger = createLogger("info", (line) => raw.push(line));
  base = (await app.listen({ BODY_LIMIT_BYTES: "2000", WRITE_RATE_LIMIT: "1" }, logger)).base;
  lockedBase = (await app.listen({ READ_REQUIRES_AUTH: "true" }, logger)).base;
});
afterAll(() => app.close());

interface Refusal {
  status: number;
  code: string;
  message: string;
  requestId: string;
  body: any;
  headers: Headers;
}

/** Asks, and checks the answer has the one error shape with the header's request id in it. */
async function refused(url: string, init?: RequestInit): Promise<Refusal> {
  const response = await fetch(url, init);
  const requestId = response.headers.get("x-request-id");
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body: any = await response.json();
  expect(body.errors).toHaveLength(1);
  expect(typeof body.errors[0].message).toBe("string");
  expect(body.errors[0].extensions).toMatchObject({ code: expect.any(String), requestId });
  // The contract's closed list of codes; a BAD_USER_INPUT names what to change.
  expect(CONTRACT_CODES).toContain(body.errors[0].extensions.code);
  if (body.errors[0].extensions.code === "BAD_USER_INPUT") expect(body.errors[0].extensions.fields).toEqual([{ field: expect.any(String), reason: expect.any(String) }]);
  return { status: response.status, code: body.errors[0].extensions.code, message: body.errors[0].message, requestId: requestId!, body, headers: response.headers };
}

const CONTRACT_CODES = ["BAD_USER_INPUT", "NOT_FOUND", "CONFLICT", "UNAUTHENTICATED", "FORBIDDEN", "GRAPHQL_VALIDATION_FAILED", "RATE_LIMITED", "INTERNAL_SERVER_ERROR"];
const fieldOf = (r: { body: any }) => r.body.errors[0].extensions.fields?.[0]?.field;

const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

/** The one log line of a request, found by its id. */
function logLineOf(requestId: string) {
  const found = lines().filter((l) => l.msg === "request" && l.requestId === requestId);
  expect(found).toHaveLength(1);
  return found[0];
}

describe("one error shape on every route", () => {
  it("when a POST comes with another content type, then 415 says to send content-type: application/json", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "application/xml"]) {
      const r = await refused(`${base}/graphql`, { method: "POST", headers: { "content-type": type }, body: `{"query":"{ regions { slug } }"}` });
      expect(r).toMatchObject({ status: 415, code: "BAD_USER_INPUT" });
      expect(fieldOf(r)).toBe("content-type");
      expect(r.message).toContain("content-type: application/json");
      expect(r.message).not.toMatch(/CSRF|Cross-Site/);
    }
  });

  it("when GET /graphql comes bare, or without the preflight header, then 400 says what to send", async () => {
    const bare = await refused(`${base}/graphql`);
    expect(bare).toMatchObject({ status: 400, code: "BAD_USER_INPUT" });
    expect(fieldOf(bare)).toBe("query");
    expect(bare.message).toContain("content-type: application/json");
    const unguarded = await refused(`${base}/graphql?query=${encodeURIComponent("{ regions { slug } }")}`);
    expect(unguarded).toMatchObject({ status: 400, code: "BAD_USER_INPUT" });
    expect(fieldOf(unguarded)).toBe("apollo-require-preflight");
    expect(unguarded.message).toContain("apollo-require-preflight: 1");
  });

  it("when /graphql is asked with another method, then 405 naming the method with the allow header; a bare OPTIONS gets 204 and allow", async () => {
    for (const method of ["PUT", "DELETE", "PATCH"]) {
      const wrong = await refused(`${base}/graphql`, { method, headers: { "content-type": "application/json" }, body: method === "DELETE" ? undefined : "{}" });
      expect(wrong).toMatchObject({ status: 405, code: "BAD_USER_INPUT" });
      expect(fieldOf(wrong)).toBe("method");
      expect(wrong.message).toContain(method);
      expect(wrong.message).toContain("content-type: application/json");
      expect(wrong.headers.get("allow")).toBe("GET, POST, OPTIONS");
    }
    const options = await fetch(`${base}/graphql`, { method: "OPTIONS" });
    expect(options.status).toBe(204);
    expect(options.headers.get("allow")).toBe("GET, POST, OPTIONS");
  });

  it("when the body is not JSON, too large, or a JSON Apollo cannot use, then 400/413/400 in the same shape", async () => {
    const notJson = await refused(`${base}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: "{ not json" });
    expect(notJson).toMatchObject({ status: 400, code: "BAD_USER_INPUT" });
    expect(fieldOf(notJson)).toBe("body");
    const large = await refused(`${base}/graphql`, json({ query: `{ regions { slug } } # ${"x".repeat(3000)}` }));
    expect(large).toMatchObject({ status: 413, code: "BAD_USER_INPUT" });
    expect(fieldOf(large)).toBe("body");
    expect(large.message).toMatch(/larger than 2000 bytes \(BODY_LIMIT_BYTES\)/);
    const empty = await refused(`${base}/graphql`, json({}));
    expect(empty).toMatchObject({ status: 400, code: "BAD_USER_INPUT" });
    const put = await refused(`${base}/graphql`, { ...json({ query: "{ regions { slug } }" }), method: "PUT" });
    expect(put.status).toBe(405);
  });

  it("when the document does not parse, or operationName names no operation, then GRAPHQL_VALIDATION_FAILED / BAD_USER_INPUT, never Apollo's own codes", async () => {
    const broken = await refused(`${base}/graphql`, json({ query: "{ regions { slug }" }));
    expect(broken).toMatchObject({ status: 400, code: "GRAPHQL_VALIDATION_FAILED" });
    expect(broken.message).toMatch(/Syntax Error/);
    const unnamed = await refused(`${base}/graphql`, json({ query: "query A { regions { slug } }", operationName: "B" }));
    expect(unnamed).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(fieldOf(unnamed)).toBe("operationName");
  });

  it("when the database cannot answer /readyz, then 503 in the same shape with Retry-After", async () => {
    const other = await startTestApp();
    const { base: otherBase } = await other.listen({ NODE_ENV: "test" });
    await other.db.destroy();
    const notReady = await refused(`${otherBase}/readyz`);
    expect(notReady).toMatchObject({ status: 503, code: "INTERNAL_SERVER_ERROR" });
    expect(notReady.message).toMatch(/^Not ready: /);
    expect(Number(notReady.headers.get("retry-after"))).toBeGreaterThan(0);
    await other.close();
  });

  it("when a token is wrong, or a key is missing on an export, then 401 UNAUTHENTICATED", async () => {
    const graphql = await refused(`${base}/graphql`, json({ query: "{ regions { slug } }" }, { authorization: "Bearer psl_nope_nope" }));
    expect(graphql).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
    expect(graphql.headers.get("www-authenticate")).toBe("Bearer");
    const exported = await refused(`${lockedBase}/export/network.json`);
    expect(exported).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
  });

  it("when a write is over its rate limit, then 429 RATE_LIMITED with Retry-After, and the log line names the key", async () => {
    const write = json({ query: `mutation { createRegion(input: { slug: "limousin", name: "Limousin", country: "FR" }) { slug } }` }, { authorization: `Bearer ${app.tokens.admin}` });
    expect((await fetch(`${base}/graphql`, write)).status).toBe(200);
    const limited = await refused(`${base}/graphql`, write);
    expect(limited).toMatchObject({ status: 429, code: "RATE_LIMITED" });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    const adminKey = (await app.server.features.apiKeys.list()).find((k) => k.label === "test admin")!;
    expect(logLineOf(limited.requestId)).toMatchObject({ status: 429, keyId: adminKey.id, route: "/graphql", method: "POST" });
  });

  it("when an unknown path, a wrong export, a bad export parameter or a wrong explorer method is asked, then the same shape", async () => {
    const nothing = await refused(`${base}/nothing`);
    expect(nothing).toMatchObject({ status: 404, code: "NOT_FOUND" });
    expect(nothing.message).toContain("/graphql");
    expect(await refused(`${base}/export/network.xyz`)).toMatchObject({ status: 404, code: "NOT_FOUND" });
    const age = await refused(`${base}/export/network.json?age=old`);
    expect(age).toMatchObject({ status: 400, code: "BAD_USER_INPUT" });
    expect(age.body.errors[0].extensions.fields).toEqual([{ field: "age", reason: expect.stringContaining("whole number") }]);
    const wrongMethod = await refused(`${base}/explorer/explorer.js`, { method: "DELETE" });
    expect(wrongMethod).toMatchObject({ status: 405, code: "BAD_USER_INPUT" });
    expect(fieldOf(wrongMethod)).toBe("method");
    expect(wrongMethod.headers.get("allow")).toBe("GET, HEAD");
  });

  it("when a request is not HTTP at all, then 400 in the same shape, and a log line", async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(new URL(base).port), "127.0.0.1", () => socket.write("NOT HTTP AT ALL\r\n\r\n"));
      let text = "";
      socket.on("data", (chunk) => (text += chunk));
      socket.on("close", () => resolve(text));
      socket.on("error", reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    const requestId = /x-request-id: ([0-9a-f-]{36})/.exec(answer)![1];
    const body = JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4));
    expect(body.errors[0].extensions).toEqual({ code: "BAD_USER_INPUT", fields: [{ field: "request", reason: body.errors[0].message }], requestId });
    expect(lines().find((l) => l.requestId === requestId)).toMatchObject({ msg: "request", status: 400 });
  });

  it("when requests are refused, then each gets exactly one log line with its method, route, status and duration", async () => {
    for (const init of [undefined, { method: "POST", headers: { "content-type": "text/plain" }, body: "x" }]) {
      const r = await refused(`${base}/graphql`, init);
      const line = logLineOf(r.requestId);
      expect(line).toMatchObject({ level: "info", method: init ? "POST" : "GET", route: "/graphql", status: r.status });
      expect(typeof line.ms).toBe("number");
    }
    const answered = await fetch(`${base}/graphql`, json({ query: "query Names { regions { slug } }" }));
    expect(logLineOf(answered.headers.get("x-request-id")!)).toMatchObject({ status: 200, operation: "Names", keyId: null });
  });
});

describe("BAD_USER_INPUT always lists its fields", () => {
  const ask = async (query: string, variables?: Record<string, unknown>) => {
    const r = await refused(`${base}/graphql`, json({ query, variables }));
    expect(r.code).toBe("BAD_USER_INPUT");
    return r.body.errors[0].extensions.fields as { field: string; reason: string }[];
  };

  it("when a variable has the wrong type, then the field is the variable", async () => {
    const fields = await ask(`query ($first: Int) { organizations(first: $first) { totalCount } }`, { first: "many" });
    expect(fields).toEqual([{ field: "first", reason: expect.stringContaining("Int") }]);
  });

  it("when a variable holds an enum value that does not exist, then the field is its path", async () => {
    const fields = await ask(`query ($f: OrganizationFilter) { organizations(filter: $f) { totalCount } }`, { f: { categories: ["HOUSING", "NOPE"] } });
    expect(fields).toEqual([{ field: "f.categories[1]", reason: expect.stringContaining("NOPE") }]);
  });

  it("when a required variable is missing, then the field is the variable", async () => {
    const fields = await ask(`query ($id: ID!) { organization(id: $id) { name } }`);
    expect(fields).toEqual([{ field: "id", reason: expect.stringContaining("was not provided") }]);
  });

  it("when the query itself writes an enum value that does not exist, then BAD_USER_INPUT naming the argument path", async () => {
    const fields = await ask(`{ organizations(filter: { categories: [HOUSING, NOPE] }) { totalCount } }`);
    expect(fields).toEqual([{ field: "filter.categories[1]", reason: expect.stringContaining("NOPE") }]);
  });

  it("when a resolver refuses its input, then its own fields are kept", async () => {
    const r = await refused(
      `${lockedBase}/graphql`,
      json({ query: `mutation { createRegion(input: { slug: "Not A Slug", name: "X", country: "FR" }) { slug } }` }, { authorization: `Bearer ${app.tokens.admin}` }),
    );
    expect(r.code).toBe("BAD_USER_INPUT");
    expect(r.body.errors[0].extensions.fields).toEqual(expect.arrayContaining([expect.objectContaining({ field: "input.slug" })]));
  });
});

describe("the list of error codes", () => {
  const source = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const file = path.join(dir, entry.name);
      return entry.isDirectory() ? source(file) : file.endsWith(".ts") ? [file] : [];
    });

  it("when docs/api.md lists the codes, then they are ErrorCode's, no more and no fewer", () => {
    const docs = fs.readFileSync(path.join(ROOT, "docs/api.md"), "utf8");
    const section = docs.slice(docs.indexOf("## Errors"), docs.indexOf("\n## ", docs.indexOf("## Errors") + 1));
    const listed = [...section.matchAll(/^- `([A-Z_]+)`:/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(Object.values(ErrorCode).sort());
  });

  it("when the source sends a code, then it names it through ErrorCode, never as a string of its own", () => {
    const literal = /\bcode: "[A-Z_]+"/;
    const offenders = source(path.join(ROOT, "src")).filter((file) => !file.includes(`${path.sep}errors${path.sep}`) && literal.test(fs.readFileSync(file, "utf8")));
    expect(offenders).toEqual([]);
  });
});
