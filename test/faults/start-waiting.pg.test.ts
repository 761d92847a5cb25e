import { ChildProcess } from "node:child_process";
import { createPostgresDatabase } from "../helpers/database";
import { outputMatches, startServerProcess } from "../helpers/process";
import { PgProxy } from "./pg-faults";

// The server started before PostgreSQL (boot order, a restart): it waits, saying each time what for
// (host:port and the error, never the password), and becomes ready once the database is, without a
// restart; waiting longer than DB_START_TIMEOUT_MS, it stops with a message, not a stack.

const WAITING = /"msg":"waiting for PostgreSQL at 127\.0\.0\.1:\d+\/\w+ \(ECONNREFUSED\); next attempt in [\d.]+ s"/g;

it("when PostgreSQL refuses at start-up, then the server logs what it waits for and becomes ready once it answers", async () => {
  const pg = await createPostgresDatabase();
  const proxy = PgProxy.to(pg.url);
  await proxy.reserve(); // nothing listens there yet: connections are refused
  const url = new URL(proxy.url(pg.url));
  url.password = "s3cret-pw"; // trust authentication ignores it; the log must not show it
  let child: ChildProcess | undefined;
  let twice!: Promise<void>;
  try {
    const starting = startServerProcess({ DATABASE_URL: url.toString(), DB_START_TIMEOUT_MS: "60000" }, (spawned, output) => {
      child = spawned;
      twice = outputMatches(spawned, output, /waiting for PostgreSQL[^\n]*\n[^\n]*waiting for PostgreSQL/);
    });
    await twice;
    await proxy.open(); // PostgreSQL "comes up" on the address the server keeps trying
    const started = await starting;
    expect((await fetch(`http://127.0.0.1:${started.port}/readyz`)).status).toBe(200);
    const response = await fetch(`http://127.0.0.1:${started.port}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ organizations(first: 1) { edges { node { slug } } } }` }),
    });
    expect(response.status).toBe(200);
    const log = started.output();
    expect(log.match(WAITING)!.length).toBeGreaterThanOrEqual(2);
    expect(log).not.toContain("s3cret-pw");
    expect(log).not.toMatch(/\n\s+at /); // no stack
    expect(started.child.exitCode).toBeNull();
  } finally {
    child?.kill("SIGKILL");
    await proxy.cut();
    await pg.drop();
  }
}, 90_000);

it("when PostgreSQL stays away past DB_START_TIMEOUT_MS, then the start stops saying where it waited and what to set, without a stack", async () => {
  const proxy = new PgProxy({ host: "127.0.0.1", port: 1 });
  await proxy.reserve();
  let exited!: Promise<number | null>;
  let output!: () => string;
  await expect(
    startServerProcess({ DATABASE_URL: `postgres://postgres@127.0.0.1:${proxy.port}/nowhere`, DB_START_TIMEOUT_MS: "1200" }, (child, out) => {
      exited = new Promise((resolve) => child.once("exit", resolve));
      output = out;
    }),
  ).rejects.toThrow(/exited with 1/);
  expect(await exited).toBe(1);
  expect(output()).toMatch(new RegExp(`PostgreSQL at 127\\.0\\.0\\.1:${proxy.port}/nowhere did not answer for \\d+ s \\(ECONNREFUSED; \\d+ attempts\\)\\. Start it, or check DATABASE_URL; DB_START_TIMEOUT_MS`));
  expect(output()).not.toMatch(/\n\s+at /);
}, 60_000);
