import net from "node:net";
import { createPostgresDatabase } from "../helpers/database";
import { startServerProcess, Started } from "../helpers/process";
import { graphqlClient } from "../helpers/http";

// PostgreSQL goes away under load and comes back: the server process answers fast with a clear
// 503, /readyz says so, it stays up, and it serves again without a restart. The outage is a TCP
// proxy between the server and PostgreSQL that drops every connection and refuses new ones.

class Outage {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on("close", () => this.sockets.delete(socket));
        socket.on("error", () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, "127.0.0.1", resolve));
    this.port = (this.server!.address() as net.AddressInfo).port;
  }

  /** PostgreSQL "stops": live connections drop, new ones are refused. */
  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server!.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

let outage: Outage;
let drop: () => Promise<void>;
let started: Started;
let base: string;

beforeAll(async () => {
  const pg = await createPostgresDatabase();
  drop = pg.drop;
  const url = new URL(pg.url);
  outage = new Outage({ host: url.hostname, port: Number(url.port || 5432) });
  await outage.open();
  url.hostname = "127.0.0.1";
  url.port = String(outage.port);
  started = await startServerProcess({ DATABASE_URL: url.toString(), DB_POOL_TIMEOUT_MS: "1000", GRAPH_RATE_LIMIT: "0" });
  base = `http://127.0.0.1:${started.port}`;
}, 60_000);
afterAll(async () => {
  started?.child.kill("SIGKILL");
  await started?.exited;
  await outage?.cut();
  await drop?.();
});

const ask = () => graphqlClient(`${base}/graphql`).ask(`{ organizations(first: 5) { edges { node { slug services { category } } } } }`);

/** Several clients asking in a loop for `ms`: every answer, in order. `answered` is called after each. */
async function load(ms: number, answered: () => void = () => {}) {
  const answers: Awaited<ReturnType<typeof ask>>[] = [];
  const until = Date.now() + ms;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (Date.now() < until) {
        answers.push(await ask());
        answered();
      }
    }),
  );
  return answers;
}

describe("PostgreSQL stops under load, then comes back", () => {
  it("when it is up, then every request is served", async () => {
    const answers = await load(800);
    expect(answers.length).toBeGreaterThan(10);
    expect(answers.every((a) => a.status === 200 && a.body.data.organizations.edges.length === 5)).toBe(true);
  });

  it("when it stops, then requests fail fast with a clear 503, /readyz turns 503, and the process stays up", async () => {
    let served!: () => void;
    const underLoad = new Promise<void>((resolve) => (served = resolve));
    const during = load(2_000, () => served());
    await underLoad; // the load is being served: now the database goes
    await outage.cut();
    const answers = await during;
    const failed = answers.filter((a) => a.status !== 200);
    expect(failed.length).toBeGreaterThan(0);
    for (const a of failed) {
      expect(a.status).toBe(503);
      expect(a.body.errors[0].extensions.code).toBe("INTERNAL_SERVER_ERROR");
      expect(a.body.errors[0].message).toMatch(/database is (not answering|busy)/);
      expect(a.ms).toBeLessThan(3_000); // no hanging: at most the pool timeout and a little
    }
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(started.child.exitCode).toBeNull();
    // An outage is expected: each failed request logs its one line, no "unexpected error" with a stack.
    expect(started.output()).not.toMatch(/unexpected error|\n\s+at /);
  });

  it("when it is back, then the same process serves again, without a restart", async () => {
    await outage.open(); // same port
    let answer = await ask();
    for (let tries = 0; answer.status !== 200 && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      answer = await ask();
    }
    expect(answer.status).toBe(200);
    expect(answer.body.data.organizations.edges).toHaveLength(5);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const answers = await load(500);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(started.child.exitCode).toBeNull();
  });
});
