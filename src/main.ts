import "reflect-metadata";
import { ConfigError, databaseOptions, loadConfig } from "./config";
import { createLogger } from "./common/log";
import { DatabaseUnreachableError, DataDirHalfMadeError, DataDirInUseError, openDatabaseWhenReachable } from "./db/data-source";
import { seedIfEmpty } from "./db/seed/seed";
import { createServer } from "./server";

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const db = await openDatabaseWhenReachable(
    databaseOptions(config),
    async (db) => {
      if (config.seed === "correze" && (await seedIfEmpty(db))) logger.info("seeded the Corrèze network");
    },
    { timeoutMs: config.dbStartTimeoutMs, onWait: (line, fields) => logger.warn(line, fields) },
  );
  logger.info("database ready", { backend: config.databaseUrl ? "postgresql" : "pglite", dataDir: config.databaseUrl ? undefined : config.dataDir });

  const server = await createServer(config, db, logger);
  const port = await server.listen();
  logger.info(`Passerelle serves GraphQL at http://${config.host}:${port}/graphql`, { port });

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
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (error instanceof ConfigError) {
    process.stderr.write(`Configuration error: ${error.message}\n`);
  } else if (code === "EADDRINUSE" || code === "EACCES") {
    const { address, port } = error as { address?: string; port?: number };
    const why = code === "EADDRINUSE" ? "is already in use (another Passerelle?)" : "may not be opened by this user";
    process.stderr.write(`Passerelle could not start: ${address ?? "the address"}:${port ?? "?"} ${why}. Stop the other process, or set PORT (and HOST) to another.\n`);
  } else if (error instanceof DataDirInUseError || error instanceof DataDirHalfMadeError || error instanceof DatabaseUnreachableError) {
    process.stderr.write(`Passerelle could not start: ${error.message}\n`);
  } else {
    process.stderr.write(`Passerelle could not start: ${(error as Error)?.stack ?? String(error)}\n`);
  }
  process.exit(1);
});
