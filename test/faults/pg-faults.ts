import net from "node:net";
import { Client } from "pg";
import { openDatabase } from "../../src/db/data-source";
import { ApiKeys } from "../../src/auth/api-keys";
import { Role } from "../../src/domain/vocabulary";

// Faults of one test's own PostgreSQL database, never of the whole cluster (other tests share it):
// a TCP proxy in front of it, and signals to the backends of that one database.

/** A TCP proxy to PostgreSQL that can pass, hang (accept and never answer) or refuse connections. */
export class PgProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private mode: "pass" | "hang" = "pass";
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {}

  static to(url: string): PgProxy {
    const parsed = new URL(url);
    return new PgProxy({ host: parsed.hostname, port: Number(parsed.port || 5432) });
  }

  /** The URL of `url`'s database through this proxy. */
  url(url: string): string {
    const parsed = new URL(url);
    parsed.hostname = "127.0.0.1";
    parsed.port = String(this.port);
    return parsed.toString();
  }

  /** A free port for the proxy to open later: until then, connections to it are refused. */
  async reserve(): Promise<void> {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    this.port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  }

  async open(): Promise<void> {
    this.mode = "pass";
    this.server = net.createServer((client) => {
      this.track(client);
      if (this.mode === "hang") return; // accepted, read, never answered: a frozen server
      const upstream = net.connect(this.target);
      this.track(upstream);
      client.pipe(upstream).pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, "127.0.0.1", resolve));
    this.port = (this.server!.address() as net.AddressInfo).port;
  }

  /** New connections are accepted and never answered; live ones carry on. */
  hang(): void {
    this.mode = "hang";
  }

  /** New connections pass again (the ones held while hanging are dropped). */
  pass(): void {
    this.mode = "pass";
  }

  /** Live connections drop, new ones are refused. */
  async cut(): Promise<void> {
    if (!this.server) return;
    const closed = new Promise<void>((resolve) => this.server!.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
    this.server = undefined;
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  }
}

/** The process ids of the backends serving `url`'s database (asked through TEST_DATABASE_URL, not through it). */
export async function backendsOf(url: string): Promise<number[]> {
  const name = new URL(url).pathname.slice(1);
  const admin = new Client({ connectionString: process.env.TEST_DATABASE_URL });
  await admin.connect();
  try {
    const rows = (await admin.query(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name])).rows;
    return rows.map((row: { pid: number }) => row.pid);
  } finally {
    await admin.end();
  }
}

/** What PostgreSQL's fast stop does to clients (FATAL 57P01 admin_shutdown), to `url`'s database only. */
export async function terminateBackendsOf(url: string): Promise<number> {
  const name = new URL(url).pathname.slice(1);
  const admin = new Client({ connectionString: process.env.TEST_DATABASE_URL });
  await admin.connect();
  try {
    const rows = (await admin.query(`SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name])).rows;
    return rows.filter((row: { done: boolean }) => row.done).length;
  } finally {
    await admin.end();
  }
}

/** Sends `signal` to each pid that still exists (SIGSTOP freezes a backend, SIGCONT thaws it). */
export function signalAll(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // gone already
    }
  }
}

/** An ADMIN token on `url`'s database, made before the server under test starts (it migrates; the server then finds it done). */
export async function adminToken(url: string): Promise<string> {
  const db = await openDatabase({ databaseUrl: url });
  try {
    return (await new ApiKeys(db).create({ role: Role.ADMIN, label: "fault test" })).token;
  } finally {
    await db.destroy();
  }
}
