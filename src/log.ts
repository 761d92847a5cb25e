// Structured logs: pino, one JSON object per line on stdout, never a token or a password.
import pino from "pino";

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /**
   * The one line of an answered request, at info level: on stdout, kept with others until 4 KB of
   * them gather or 250 ms pass: one write for many requests instead of one each (the line's cost
   * to `{ __typename }` went from 32 to 16 µs of CPU, `npm run bench:pipeline`). Every other line
   * is written at once, after those kept before it, and what is kept is written at exit.
   */
  access(message: string, fields?: Record<string, unknown>): void;
}

/** How many bytes of request lines are kept before one write, and for how long at most. */
const ACCESS_BATCH_BYTES = 4096;
const ACCESS_BATCH_MS = 250;

/** Whatever a caller puts in a log line, these never leave the process in clear. */
const SECRETS = ["authorization", "token", "password", "secret", "databaseUrl"];

/**
 * A logger writing JSON lines: `{"level":"info","time":"2026-...","msg":"...",...fields}`.
 * `write` receives each line at once (tests); by default stdout, written synchronously (request
 * lines in batches, see `access`) so that the lines before an exit are not lost.
 */
export function createLogger(level: LogLevel, write?: (line: string) => void): Logger {
  const stdout = write || level === "silent" ? undefined : pino.destination({ dest: 1, sync: true, minLength: ACCESS_BATCH_BYTES, periodicFlush: ACCESS_BATCH_MS });
  // flush(), not flushSync(): in sync mode it writes at once too, and a closed stdout (EPIPE) is dropped, not retried forever.
  if (stdout) process.once("exit", () => stdout.flush());
  const logger = pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...SECRETS, ...SECRETS.map((key) => `*.${key}`)], censor: "[redacted]" },
    },
    write ? { write } : (stdout ?? { write: () => {} }),
  );
  const at =
    (method: "debug" | "info" | "warn" | "error") =>
    (message: string, fields: Record<string, unknown> = {}) => {
      if (!logger.isLevelEnabled(method)) return;
      logger[method](fields, message);
      stdout?.flush();
    };
  const access = (message: string, fields: Record<string, unknown> = {}) => logger.info(fields, message);
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error"), access };
}
