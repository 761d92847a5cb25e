import { startTestApp, TestApp } from "../helpers/app";
import { createLogger } from "../../src/log";
import { Server } from "../../src/server";
import { graphqlClient } from "../helpers/http";

// What the logs hold (JSON lines: request id, operation, duration, key id, never a token) and what
// a client sees of an unexpected error in production (a request id, nothing internal).

interface Started {
  app: TestApp;
  server: Server;
  url: string;
  lines: Record<string, any>[];
  raw: string[];
}

async function start(): Promise<Started> {
  const app = await startTestApp({ seed: true });
  const raw: string[] = [];
  const { server, graphql: url } = await app.listen({}, createLogger("info", (line) => raw.push(line)));
  return { app, server, url, raw, get lines() { return raw.map((line) => JSON.parse(line)); } };
}

async function post(url: string, body: unknown, token?: string) {
  const answer = await graphqlClient(url).post(body, { token });
  return { ...answer, requestId: answer.headers.get("x-request-id") };
}

let s: Started;
beforeAll(async () => {
  s = await start();
});
afterAll(() => s.app.close());

describe("request logs", () => {
  it("when a request is answered, then one JSON line gives its request id, operation, duration and key id, and no token", async () => {
    const answer = await post(s.url, { query: "query RegionNames { regions { slug } }", operationName: "RegionNames" }, s.app.tokens.viewer);
    expect(answer.status).toBe(200);
    const viewerKey = (await s.server.features.apiKeys.list()).find((k) => k.label === "test viewer")!;
    const line = s.lines.find((l) => l.requestId === answer.requestId);
    expect(line).toMatchObject({ level: "info", msg: "request", method: "POST", route: "/graphql", status: 200, operation: "RegionNames", keyId: viewerKey.id });
    expect(typeof line!.ms).toBe("number");
    expect(new Date(line!.time).getTime()).toBeGreaterThan(0);
    const secret = s.app.tokens.viewer.split("_").slice(2).join("_"); // the secret itself may hold "_"
    expect(s.raw.join("")).not.toContain(secret);
  });

  it("when a caller puts a token in log fields, then it is redacted", async () => {
    const raw: string[] = [];
    createLogger("info", (line) => raw.push(line)).info("oops", { authorization: "Bearer psl_x_y", nested: { token: "psl_a_b" } });
    expect(raw.join("")).not.toMatch(/psl_/);
    expect(JSON.parse(raw[0])).toMatchObject({ authorization: "[redacted]", nested: { token: "[redacted]" } });
  });
});

describe("unexpected errors in production", () => {
  let broken: Started;
  beforeAll(async () => {
    broken = await start();
    await broken.app.db.destroy(); // every statement now fails inside the driver
  });
  afterAll(() => broken.app.close().catch(() => undefined));

  const expectMaskedAndLoggedOnce = (answer: { requestId: string | null; body: any }) => {
    const error = answer.body.errors[0];
    expect(error.extensions.code).toBe("INTERNAL_SERVER_ERROR");
    expect(error.message).toBe("Internal server error: the problem has been logged; try again later.");
    expect(error.extensions.requestId).toBe(answer.requestId);
    expect(JSON.stringify(answer.body)).not.toMatch(/SELECT|\bat \w|stack|DataSource|driver/i);
    const logged = broken.lines.filter((l) => l.msg === "unexpected error" && l.requestId === answer.requestId);
    expect(logged).toHaveLength(1);
    expect(logged[0].level).toBe("error");
    expect(logged[0].error.length).toBeGreaterThan(10); // the real cause, for whoever reads the logs
  };

  it("when a resolver fails, then the client gets a masked message and the request id, and the cause is logged once", async () => {
    const answer = await post(broken.url, { query: "{ regions { slug } }" });
    expectMaskedAndLoggedOnce(answer);
  });

  it("when the request's context cannot be made (the key lookup fails), then the same", async () => {
    const answer = await post(broken.url, { query: "{ regions { slug } }" }, broken.app.tokens.viewer);
    expect(answer.status).toBe(500);
    expectMaskedAndLoggedOnce(answer);
  });
});
