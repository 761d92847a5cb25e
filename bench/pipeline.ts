// npm run bench:pipeline: what one request costs the server before any data is read, and which
// stage of the pipeline takes what (issue: "keep what protects, make it cheap").
//
// Part 1, whole processes: `{ __typename }` asked by 16 kept-alive clients over loopback of
//   - a bare node:http server answering the same JSON (what any Node server pays here: HTTP
//     parsing, the socket, the kernel), and of ours
//   - as deployed (request log line, rate limits, cost and range analysis, query limits, CORS,
//     request ids), then without the log line (LOG_LEVEL=warn), then without rate limits;
// each as requests a second and the server's CPU time per request (all its threads, from /proc),
// PIPELINE_ROUNDS rounds (default 5) of PIPELINE_SECONDS (default 3) taken in turn, medians.
// Part 2, in one process: each stage's own cost per call, over many calls.
//
// On PGlite with the Corrèze seed (a temporary data folder): no database is read at the floor.
import "reflect-metadata";
import { ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "graphql";
import { getComplexity } from "graphql-query-complexity";
import { outputMatches, startServerProcess } from "../test/helpers/process";
import { createLogger } from "../src/log";
import { argumentRangeCheck, costEstimator, verdictKey } from "../src/http/limits";
import { Faults } from "../src/errors";
import { RateLimiter } from "../src/http/rate-limit";
import { buildGraphQLSchema, createFeatures } from "../src/schema";
import { openDatabase } from "../src/db/data-source";
import { cpuSecondsOf, fixed, httpClient, markdownTable } from "./load";

const env = process.env;
const ROUNDS = Number(env.PIPELINE_ROUNDS ?? 5);
const SECONDS = Number(env.PIPELINE_SECONDS ?? 3);
const CONNECTIONS = 16;
const FLOOR = JSON.stringify({ query: "{ __typename }" });

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** A node:http server that answers every request as ours answers the floor, and nothing else. */
const BARE = `
const http = require("node:http");
const body = JSON.stringify({ data: { __typename: "Query" } }) + "\\n";
const server = http.createServer((request, response) => {
  request.resume();
  request.on("end", () => { response.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) }); response.end(body); });
});
server.keepAliveTimeout = 5000;
server.listen(0, "127.0.0.1", () => console.log("listening " + server.address().port));`;

async function startBare() {
  const child = spawn(process.execPath, ["-e", BARE], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  await outputMatches(child, () => output, /listening \d+/);
  return { child, port: Number(/listening (\d+)/.exec(output)![1]), exited: new Promise((resolve) => child.on("exit", resolve)) };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** For startServerProcess: once GET /healthz answers on `port`, writes the line it waits for into the output it watches. */
function whenHealthy(port: number) {
  return (child: ChildProcess) => {
    const poll = () =>
      fetch(`http://127.0.0.1:${port}/healthz`).then(
        (response) => (response.ok ? child.stdout!.emit("data", Buffer.from(`{"port":${port}}\n`)) : setTimeout(poll, 100)),
        () => setTimeout(poll, 100),
      );
    poll();
  };
}

/** 16 clients asking the floor for SECONDS: requests a second, and the server's CPU microseconds per request. */
async function load(port: number, pid: number) {
  const client = httpClient(port, CONNECTIONS);
  try {
    for (let i = 0; i < 200; i++) await client.send(FLOOR); // warm
    let served = 0;
    const cpu = cpuSecondsOf(pid);
    const started = performance.now();
    const until = started + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (performance.now() < until) {
          const { status } = await client.send(FLOOR);
          if (status !== 200) throw new Error(`the floor answered ${status}`);
          served++;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return { perSecond: served / seconds, cpuMicros: ((cpuSecondsOf(pid) - cpu) / served) * 1e6 };
  } finally {
    client.close();
  }
}

/** Microseconds per call of `f`, over `n` calls after a warm-up. */
function perCall(n: number, f: () => void): number {
  for (let i = 0; i < Math.min(n, 2_000); i++) f();
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) f();
  return Number(process.hrtime.bigint() - started) / n / 1e3;
}

async function main() {
  const servers: { name: string; port: number; pid: number; stop: () => Promise<unknown> }[] = [];
  const dirs: string[] = [];
  try {
    const bare = await startBare();
    servers.push({ name: "bare node:http, same answer", port: bare.port, pid: bare.child.pid!, stop: () => (bare.child.kill(), bare.exited) });
    const variants: [string, Record<string, string>][] = [
      ["Passerelle as deployed", {}],
      ["  without the request log line (LOG_LEVEL=warn)", { LOG_LEVEL: "warn" }],
      ["  without rate limits (WRITE_/GRAPH_RATE_LIMIT=0)", { WRITE_RATE_LIMIT: "0", GRAPH_RATE_LIMIT: "0" }],
    ];
    for (const [name, extra] of variants) {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-pipeline-"));
      dirs.push(dataDir);
      // At LOG_LEVEL=warn the server does not say its port: it is given one and asked /healthz.
      const port = extra.LOG_LEVEL ? String(await freePort()) : "0";
      const started = await startServerProcess({ DATA_DIR: dataDir, PORT: port, ...extra }, extra.LOG_LEVEL ? whenHealthy(Number(port)) : undefined);
      // Its output is not kept: a bench of a million log lines would hold them all.
      started.child.stdout!.removeAllListeners("data");
      started.child.stdout!.resume();
      servers.push({ name, port: started.port, pid: started.child.pid!, stop: () => (started.child.kill("SIGTERM"), started.exited) });
    }
    const results = servers.map(() => ({ perSecond: [] as number[], cpu: [] as number[] }));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, server] of servers.entries()) {
        const r = await load(server.port, server.pid);
        results[i].perSecond.push(r.perSecond);
        results[i].cpu.push(r.cpuMicros);
      }
    }
    const bareCpu = median(results[0].cpu);
    const table = [["{ __typename }, 16 connections", "req/s", "server CPU µs / request", "vs bare node:http"]];
    for (const [i, server] of servers.entries()) {
      const cpu = median(results[i].cpu);
      table.push([server.name, median(results[i].perSecond).toFixed(0), fixed(cpu), `${(cpu / bareCpu).toFixed(2)}x`]);
    }
    console.log(`\nThe per-request pipeline, ${ROUNDS} rounds of ${SECONDS} s in turn, medians; node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? "cpu"}\n`);
    console.log(markdownTable(table));
  } finally {
    for (const server of servers) await server.stop();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  }

  // Part 2: each stage by itself.
  const db = await openDatabase({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-pipeline-")) });
  const schema = await buildGraphQLSchema(createFeatures(db, createLogger("silent")), { readRequiresAuth: false });
  await db.destroy();
  const dashboard = parse(
    `query($r: String!, $c: ServiceCategory!) { organizations(first: 50, filter: { region: $r, categories: [$c] }) { totalCount edges { node { id slug name kind services { name category eligibility { minAge maxAge targetGroups } } referralsOut { id status categories since until to { slug name } } } } } }`,
  );
  const variables = { r: "correze", c: "LANGUAGE_LEARNING" };
  const verdicts = new Map<string, number>();
  const lines: string[] = [];
  const logger = createLogger("info", (line) => lines.push(line));
  const limiter = new RateLimiter(600);
  const request = { requestId: "759e39cc-0d27-46c2-ae15-86ad48c873cd", method: "POST", route: "/graphql", status: 200, ms: 1.54, operation: null, keyId: null };
  const stages = [
    ["cost and range walk of the dashboard page's document (graphql-query-complexity)", perCall(5_000, () => getComplexity({ schema, query: dashboard, variables, estimators: [argumentRangeCheck(new Faults()), costEstimator] }))],
    [
      "  the same, its verdict found again (kept per document and numbers)",
      perCall(200_000, () => {
        const key = verdictKey(undefined, variables);
        verdicts.set(key, verdicts.get(key) ?? 1);
      }),
    ],
    [
      "one request log line (pino, redaction, JSON; written nowhere)",
      perCall(100_000, () => {
        logger.info("request", request);
        lines.length = 0;
      }),
    ],
    ["a rate limit's token taken (two buckets: key and address)", perCall(200_000, () => limiter.take(["key:x", "address:127.0.0.1"]))],
  ] as const;
  console.log(`\n${markdownTable([["stage, in one process", "µs / call"], ...stages.map(([name, micros]) => [name, fixed(micros)])])}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
