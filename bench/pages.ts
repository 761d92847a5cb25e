// npm run bench:pages: Passerelle's reads beside a peer, PostGraphile v4 with
// postgraphile-plugin-connection-filter (bench/peer/, its own package.json and lock, installed here
// on first run, not a dependency of the service), both serving one fresh PostgreSQL database.
//
// The network: 4 regions x 1,000 organizations, 20,000 referrals (bench/generate.ts). Each page is
// asked for PAGES_SECONDS (default 10, after 2 s of warm-up) by 16 clients on 16 kept-alive
// connections over loopback, of one server at a time, with arguments drawn anew for every request
// so no cache can answer:
//   dashboard page: 50 organizations of a region offering a category, their services and
//                   referralsOut (with the receiving organization), totalCount;
//   organization:   one organization with its services and referrals both ways;
//   flat list:      100 organizations of a region of one kind, five columns;
//   floor:          { __typename }, what a request costs with no data at all.
// Before timing, a sample of arguments is asked of both and the answers compared (same
// organizations, same counts): both do the same work. Each server is given its fastest form of
// each question (the peer filters by region id, we by slug, as our API takes it).
//
// PAGES_REGIONS, PAGES_ORGANIZATIONS (per region) and PAGES_REFERRALS change the network's size.
// PAGES_DATABASE_URL names the database to (re)create (default
// postgres://postgres@127.0.0.1:5432/passerelle_bench_pages); its contents are dropped first.
// PAGES_ONLY=floor (a word of the page names) times only the pages whose name has it, e.g. to
// profile one page with SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/p".
import "reflect-metadata";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import { openDatabase } from "../src/db/data-source";
import { OrganizationKind, ServiceCategory } from "../src/domain/vocabulary";
import { outputMatches, ROOT, startServerProcess } from "../test/helpers/process";
import { generateNetwork, random } from "./generate";
import { fixed, httpClient, markdownTable, memoryOf, quantile } from "./load";

const env = process.env;
const SECONDS = Number(env.PAGES_SECONDS ?? 10);
const WARM_UP_SECONDS = Math.min(2, SECONDS);
const CONNECTIONS = 16;
const size = {
  regions: Number(env.PAGES_REGIONS ?? 4),
  organizations: Number(env.PAGES_ORGANIZATIONS ?? 1000),
  referrals: Number(env.PAGES_REFERRALS ?? 20_000),
  seed: 7,
};
const databaseUrl = env.PAGES_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/passerelle_bench_pages";
const PEER = path.join(ROOT, "bench/peer");

/** Drops and creates the database named by `url`, through the server's `postgres` database. */
async function freshDatabase(url: string) {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`PAGES_DATABASE_URL: the database name "${name}" must be lower-case letters, digits and _`);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
}

/** Starts the peer and waits until it listens; installs it first when it is not. */
async function startPeer() {
  // Installed when missing, or when the lock changed since (npm keeps its copy in node_modules).
  const installed = path.join(PEER, "node_modules/.package-lock.json");
  if (!fs.existsSync(installed) || fs.statSync(installed).mtimeMs < fs.statSync(path.join(PEER, "package-lock.json")).mtimeMs) {
    console.log("installing the peer (bench/peer: npm ci)...");
    execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: PEER, stdio: "inherit" });
  }
  const child = spawn(process.execPath, [path.join(PEER, "server.js"), databaseUrl], { cwd: PEER, env: { ...process.env, NODE_ENV: "production" }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  await outputMatches(child, () => output, /listening \d+/);
  const port = Number(/listening (\d+)/.exec(output)![1]);
  return { child, port, exited };
}

interface Question {
  query: string;
  variables: Record<string, unknown>;
}
interface Page {
  name: string;
  /** Draws the arguments once, and asks the same question of each server. */
  draw: (rand: () => number) => { ours: Question; peer: Question };
  /** What must be equal in both answers: organizations and counts. */
  same?: (data: any) => unknown;
  peerSame?: (data: any) => unknown;
}

const SERVICE = `name category eligibility { minAge maxAge targetGroups }`;
const PEER_SERVICE = `name category minAge maxAge targetGroups`;
const REFERRAL = `id status categories since until`;
const sorted = (list: string[]) => [...list].sort();

async function main() {
  const t0 = performance.now();
  await freshDatabase(databaseUrl);
  const db = await openDatabase({ databaseUrl, dataDir: "unused" });
  const generated = await generateNetwork(db, size);
  const regions: { id: string; slug: string }[] = await db.query(`SELECT id, slug FROM regions ORDER BY slug`);
  await db.destroy();
  const generatedMs = performance.now() - t0;
  const regionId = new Map(regions.map((r) => [r.slug, r.id]));

  const pick = <T>(rand: () => number, list: readonly T[]) => list[Math.floor(rand() * list.length)];
  const pages: Page[] = [
    {
      name: "dashboard page: 50 of a region offering a category, services + referralsOut, totalCount",
      draw: (rand) => {
        const region = pick(rand, generated.regionSlugs);
        const category = pick(rand, Object.values(ServiceCategory));
        return {
          ours: {
            query: `query($r: String!, $c: ServiceCategory!) { organizations(first: 50, filter: { region: $r, categories: [$c] }) { totalCount edges { node { id slug name kind services { ${SERVICE} } referralsOut { ${REFERRAL} to { slug name } } } } } }`,
            variables: { r: region, c: category },
          },
          peer: {
            query: `query($r: UUID!, $c: String!) { allOrganizations(first: 50, orderBy: [NAME_ASC, ID_ASC], condition: { regionId: $r }, filter: { servicesByOrganizationId: { some: { category: { equalTo: $c } } } }) { totalCount edges { node { id slug name kind servicesByOrganizationId { nodes { ${PEER_SERVICE} } } referralsByFromId { nodes { ${REFERRAL} organizationByToId { slug name } } } } } } }`,
            variables: { r: regionId.get(region), c: category },
          },
        };
      },
      same: (d) => [d.organizations.totalCount, d.organizations.edges.map((e: any) => [e.node.slug, e.node.services.length, sorted(e.node.referralsOut.map((r: any) => r.id))])],
      peerSame: (d) => [
        d.allOrganizations.totalCount,
        d.allOrganizations.edges.map((e: any) => [e.node.slug, e.node.servicesByOrganizationId.nodes.length, sorted(e.node.referralsByFromId.nodes.map((r: any) => r.id))]),
      ],
    },
    {
      name: "organization: services + referrals both ways",
      draw: (rand) => {
        const slug = pick(rand, generated.organizationSlugs);
        return {
          ours: {
            query: `query($s: ID!) { organization(id: $s) { id slug name kind website services { ${SERVICE} } referralsOut { ${REFERRAL} to { slug name } } referralsIn { ${REFERRAL} from { slug name } } } }`,
            variables: { s: slug },
          },
          peer: {
            query: `query($s: String!) { organizationBySlug(slug: $s) { id slug name kind website servicesByOrganizationId { nodes { ${PEER_SERVICE} } } referralsByFromId { nodes { ${REFERRAL} organizationByToId { slug name } } } referralsByToId { nodes { ${REFERRAL} organizationByFromId { slug name } } } } }`,
            variables: { s: slug },
          },
        };
      },
      same: (d) => [d.organization.slug, d.organization.services.length, sorted(d.organization.referralsOut.map((r: any) => r.id)), sorted(d.organization.referralsIn.map((r: any) => r.id))],
      peerSame: (d) => [
        d.organizationBySlug.slug,
        d.organizationBySlug.servicesByOrganizationId.nodes.length,
        sorted(d.organizationBySlug.referralsByFromId.nodes.map((r: any) => r.id)),
        sorted(d.organizationBySlug.referralsByToId.nodes.map((r: any) => r.id)),
      ],
    },
    {
      name: "flat list: 100 of a region of one kind",
      draw: (rand) => {
        const region = pick(rand, generated.regionSlugs);
        const kind = pick(rand, Object.values(OrganizationKind));
        return {
          ours: { query: `query($r: String!, $k: OrganizationKind!) { organizations(first: 100, filter: { region: $r, kinds: [$k] }) { edges { node { id slug name kind website } } } }`, variables: { r: region, k: kind } },
          peer: {
            query: `query($r: UUID!, $k: String!) { allOrganizations(first: 100, orderBy: [NAME_ASC, ID_ASC], condition: { regionId: $r, kind: $k }) { edges { node { id slug name kind website } } } }`,
            variables: { r: regionId.get(region), k: kind },
          },
        };
      },
      same: (d) => d.organizations.edges.map((e: any) => e.node.slug),
      peerSame: (d) => d.allOrganizations.edges.map((e: any) => e.node.slug),
    },
    { name: "floor: { __typename }", draw: () => ({ ours: { query: `{ __typename }`, variables: {} }, peer: { query: `{ __typename }`, variables: {} } }) },
  ];

  const ours = await startServerProcess({ SEED: "none", LOG_LEVEL: "info", DATABASE_URL: databaseUrl });
  const peer = await startPeer();
  const clients = { ours: httpClient(ours.port, CONNECTIONS), peer: httpClient(peer.port, CONNECTIONS) };
  try {
    const ask = async (who: "ours" | "peer", question: Question) => {
      const { status, text } = await clients[who].send(JSON.stringify(question));
      const body = status === 200 ? JSON.parse(text) : undefined;
      if (!body || body.errors) throw new Error(`${who}: ${status} ${text.slice(0, 400)}\nfor ${JSON.stringify(question).slice(0, 400)}`);
      return body.data;
    };

    // Same questions, same answers: 30 draws of each page.
    const check = random(size.seed + 100);
    for (const page of pages) {
      if (!page.same) continue;
      for (let i = 0; i < 30; i++) {
        const { ours: q, peer: p } = page.draw(check);
        const a = JSON.stringify(page.same(await ask("ours", q)));
        const b = JSON.stringify(page.peerSame!(await ask("peer", p)));
        if (a !== b) throw new Error(`${page.name}: the two servers answer differently for ${JSON.stringify(q.variables)}:\nours ${a.slice(0, 300)}\npeer ${b.slice(0, 300)}`);
      }
    }
    const memoryWarm = memoryOf(ours.child.pid!);

    /** 16 clients asking one server for SECONDS after the warm-up. */
    const run = async (who: "ours" | "peer", page: Page) => {
      const latencies: number[] = [];
      const errors: string[] = [];
      const begun = performance.now();
      const measureFrom = begun + WARM_UP_SECONDS * 1000;
      const until = measureFrom + SECONDS * 1000;
      const client = async (index: number) => {
        const rand = random(size.seed * 1000 + index);
        while (performance.now() < until) {
          const question = page.draw(rand)[who];
          const started = performance.now();
          const { status, text } = await clients[who].send(JSON.stringify(question));
          const done = performance.now();
          if (status !== 200 || text.includes(`"errors"`)) errors.push(`${status} ${text.slice(0, 200)}`);
          else if (started >= measureFrom && done <= until) latencies.push(done - started);
        }
      };
      await Promise.all(Array.from({ length: CONNECTIONS }, (_, i) => client(i)));
      latencies.sort((a, b) => a - b);
      return { perSecond: latencies.length / SECONDS, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), errors };
    };

    const table: string[][] = [["page", "ours req/s", "peer req/s", "ours / peer", "ours p50 / p99 ms", "peer p50 / p99 ms", "errors"]];
    let failed = false;
    for (const page of pages.filter((p) => p.name.includes(env.PAGES_ONLY ?? ""))) {
      const a = await run("ours", page);
      const b = await run("peer", page);
      const errors = a.errors.length + b.errors.length;
      if (errors) {
        failed = true;
        for (const e of [...a.errors, ...b.errors].slice(0, 3)) console.error(`  ${page.name}: ${e}`);
      }
      table.push([page.name, a.perSecond.toFixed(0), b.perSecond.toFixed(0), `${(a.perSecond / b.perSecond).toFixed(2)}x`, `${fixed(a.p50)} / ${fixed(a.p99)}`, `${fixed(b.p50)} / ${fixed(b.p99)}`, String(errors)]);
    }
    const memoryEnd = memoryOf(ours.child.pid!);
    console.log(
      `\nPasserelle vs PostGraphile v4 + connection-filter: ${size.regions} regions x ${size.organizations} organizations, ${size.referrals} referrals, PostgreSQL, ` +
        `${CONNECTIONS} connections, ${SECONDS} s per page and server after ${WARM_UP_SECONDS} s warm-up, node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? "cpu"} ` +
        `(network written in ${fixed(generatedMs)} ms)\n`,
    );
    console.log(markdownTable(table));
    console.log(`\nour server's resident memory (MB): after the answer check ${memoryWarm.rss.toFixed(0)}, end ${memoryEnd.rss.toFixed(0)}, peak ${memoryEnd.peak.toFixed(0)}`);
    if (failed) process.exitCode = 1;
  } finally {
    clients.ours.close();
    clients.peer.close();
    ours.child.kill("SIGTERM");
    peer.child.kill("SIGTERM");
    await Promise.all([ours.exited, peer.exited]);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
