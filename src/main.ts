import "reflect-metadata";
import { ConfigError, databaseOptions, loadConfig } from "./config/index";
import { createLogger } from "./log";
import { DatabaseUnreachableError, DataDirHalfMadeError, DataDirInUseError, openDatabaseWhenReachable } from "./db/data-source";
import { seedIfEmpty } from "./db/seed/seed";
import { checkAddress } from "./http/address-check";
import { createServer } from "./server";

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  await checkAddress(config.port, config.host);
  const db = await openDatabaseWhenReachable(
    databaseOptions(config),
    async (db) => {
      if (config.seed === "correze" && (await seedIfEmpty(db))) logger.info("seeded the Corrèze network");
    },
    { timeoutMs: config.dbStartTimeoutMs, onWait: (line, fields) => logger.warn(line, fields) },
  );
  logger.info("database ready", { backend: config.databaseUrl ? "postgresql" : "pglite", dataDir: config.databaseUrl ? undefined : config.dataDir });

  const server = await createServer(config, db, logger);
  // The read model is loaded before the port opens: no first request waits for it (about 2 s at
  // 20,000 organizations and 100,000 referrals), and none stalls behind its build.
  await server.features.models.current();
  const port = await server.listen();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("stopping: draining in-flight requests", { signal });
    const timer = setTimeout(() => {
      logger.error("in-flight requests did not finish in time; exiting", { graceMs: config.shutdownGraceMs });
      process.exit(1);
    }, config.shutdownGraceMs);
    timer.unref();
    try {
      await server.stop();
      await db.destroy();
      logger.info("stopped");
      process.exit(0);
    } catch (error) {
      logger.error("error while stopping", { error: String(error) });
      process.exit(1);
    }
  };
  // Handlers first, then the line that says the server is ready: a SIGTERM right after it is drained.
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  const base = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  logger.info(`Passerelle serves GraphQL at ${base}/graphql and the network explorer at ${base}/explorer/`, { port });
}

main().catch((error: unknown) => {
  process.stderr.write(`${startFailure(error)}\n`);
  process.exit(1);
});

/** Why the start failed, said in a line per fault (a stack only for what nobody foresaw). */
function startFailure(error: unknown): string {
  const { code, syscall, address, port, hostname } = (error ?? {}) as NodeJS.ErrnoException & { address?: string; port?: number; hostname?: string };
  if (error instanceof ConfigError) return error.message.split("\n").map((line) => `Configuration error: ${line}`).join("\n");
  if (error instanceof DataDirInUseError || error instanceof DataDirHalfMadeError || error instanceof DatabaseUnreachableError) {
    return `Passerelle could not start: ${error.message}`;
  }
  if (syscall === "listen" && (code === "EADDRINUSE" || code === "EACCES")) {
    const why = code === "EADDRINUSE" ? "is already in use (another Passerelle?)" : "may not be opened by this user";
    return `Passerelle could not start: ${address ?? "the address"}:${port ?? "?"} ${why}. Stop the other process, or set PORT (and HOST) to another.`;
  }
  if (syscall === "listen" && (code === "EADDRNOTAVAIL" || code === "EAFNOSUPPORT")) {
    const host = listenHost();
    const named = host && host !== address ? `${host} (${address})` : address;
    return `Passerelle could not start: HOST=${named} is not an address of this machine (${code}). Set HOST to one of its addresses: 127.0.0.1 (this machine only), 0.0.0.0 (every interface), or unset it.`;
  }
  // A host name is looked up before listening; the database's host is looked up too, so only HOST's own name counts.
  if ((code === "ENOTFOUND" || code === "EAI_AGAIN") && hostname !== undefined && hostname === listenHost()) {
    return `Passerelle could not start: HOST=${hostname} is not a known host name (${code}). Set HOST to an address of this machine (127.0.0.1, 0.0.0.0) or a name that resolves to one.`;
  }
  return `Passerelle could not start: ${(error as Error)?.stack ?? String(error)}`;
}

/** The HOST the server was told to listen on (the configuration loaded, since it did before listening). */
function listenHost(): string | undefined {
  try {
    return loadConfig().host;
  } catch {
    return undefined;
  }
}
