// Structured logs: pino, one JSON object per line on stdout, never a token or a password.
import pino from "pino";

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Whatever a caller puts in a log line, these never leave the process in clear. */
const SECRETS = ["authorization", "token", "password", "secret", "databaseUrl"];

/**
 * A logger writing JSON lines: `{"level":"info","time":"2026-...","msg":"...",...fields}`.
 * `write` receives each line (tests); by default stdout, synchronously, so that the lines before
 * an exit are not lost.
 */
export function createLogger(level: LogLevel, write?: (line: string) => void): Logger {
  const logger = pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...SECRETS, ...SECRETS.map((key) => `*.${key}`)], censor: "[redacted]" },
    },
    write ? { write } : pino.destination({ dest: 1, sync: true }),
  );
  const at =
    (method: "debug" | "info" | "warn" | "error") =>
    (message: string, fields: Record<string, unknown> = {}) =>
      logger[method](fields, message);
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
