import "reflect-metadata";
import { runMain, UsageError } from "./main";
import { isCalendarDay } from "../api/scalars";
import { today } from "../referrals/referral.rules";
import { NotFoundError } from "../errors";
import { databaseOptions, loadConfig } from "../config/index";
import { seedIfEmpty } from "../db/seed/seed";
import { openDatabase } from "../db/data-source";
import { ApiKeys } from "../auth/api-keys";
import type { DataSource } from "typeorm";
import { Role } from "../domain/vocabulary";

const USAGE = `Usage:
  npm run --silent apikey -- create --role ADMIN|EDITOR|VIEWER [--region SLUG ...] [--label TEXT] [--expires YYYY-MM-DD]
  npm run apikey -- list
  npm run apikey -- revoke ID

create prints the new token on the last line of stdout; only its hash is stored.
--expires YYYY-MM-DD: the key works through the end of that day, UTC (today or a later day).
revoke on a key revoked before says when, changes nothing and succeeds.
The embedded database is opened by one process at a time: stop the server first,
or give the server and this command the same DATABASE_URL.`;

export { UsageError };

export interface CreateOptions {
  role: Role;
  regions: string[];
  label: string | null;
  expiresAt: Date | null;
}

/** `--expires DAY`: the key works through the end of DAY in UTC, so it expires at the next midnight UTC. */
function endOfDay(day: string): Date {
  if (!isCalendarDay(day)) throw new UsageError(`--expires must be a day written YYYY-MM-DD, like 2027-12-31, not "${day}"`);
  if (day < today()) throw new UsageError(`--expires ${day} is in the past (today is ${today()}, UTC): give today or a later day; the key works through the end of that day, UTC`);
  const end = new Date(`${day}T00:00:00Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  return end;
}

/** How `list` shows an expiry: the last day the key works when it ends at midnight UTC (as --expires sets), else the instant. */
function expiry(at: Date): string {
  if (at.getTime() % 86_400_000 !== 0) return `expires ${at.toISOString()}`;
  return `valid through ${today(new Date(at.getTime() - 1))} UTC`;
}

export function parseCreate(args: string[]): CreateOptions {
  const options: CreateOptions = { role: undefined as unknown as Role, regions: [], label: null, expiresAt: null };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = args[i + 1];
    if (!["--role", "--region", "--label", "--expires"].includes(flag)) throw new UsageError(`unknown option "${flag}"`);
    if (value === undefined || value.startsWith("--")) throw new UsageError(`${flag} needs a value`);
    i++;
    if (flag === "--role") {
      const role = value.toUpperCase();
      if (!Object.values(Role).includes(role as Role)) throw new UsageError(`--role must be ADMIN, EDITOR or VIEWER, not "${value}"`);
      options.role = role as Role;
    } else if (flag === "--region") {
      options.regions.push(...value.split(",").map((s) => s.trim()).filter(Boolean));
    } else if (flag === "--label") {
      options.label = value;
    } else {
      options.expiresAt = endOfDay(value);
    }
  }
  if (!options.role) throw new UsageError("create needs --role ADMIN|EDITOR|VIEWER");
  return options;
}

/** A command line, checked: what to do, before any database is opened. */
export type Command = { name: "create"; options: CreateOptions } | { name: "list" } | { name: "revoke"; id: string };

export function parseCommand(argv: string[]): Command | { name: "help" } {
  const [command, ...rest] = argv;
  if (command === "help" || command === "--help" || command === "-h") return { name: "help" };
  if (!command) throw new UsageError("say what to do: create, list or revoke");
  if (command === "create") return { name: "create", options: parseCreate(rest) };
  if (command === "revoke") {
    if (rest.length !== 1) throw new UsageError("revoke takes one key id (see `npm run apikey -- list`)");
    return { name: "revoke", id: rest[0] };
  }
  if (command === "list") {
    if (rest.length) throw new UsageError("list takes no arguments");
    return { name: "list" };
  }
  throw new UsageError(`unknown command "${command}"`);
}

/** Runs a checked command on an open database, through the same ApiKeys as the API. */
export async function execute(command: Command, db: DataSource, out: (line: string) => void): Promise<void> {
  const keys = new ApiKeys(db);
  if (command.name === "create") {
    const { token, key } = await keys.create(command.options);
    out(`Created ${key.role} key ${key.id}${key.regions.length ? ` for ${key.regions.join(", ")}` : ""}${key.label ? ` (${key.label})` : ""}.`);
    out("Keep this token now: it is shown only once.");
    out(token);
  } else if (command.name === "list") {
    const all = await keys.list();
    if (all.length === 0) return out("No API keys yet: create one with `npm run apikey -- create --role ADMIN`.");
    // Tab-separated under a heading, a column for each field ("-" where there is none), so that
    // `cut -f` or a spreadsheet's paste finds the same field in the same column on every line.
    out(["id", "role", "regions", "state", "created", "expires", "label"].join("\t"));
    for (const k of all) {
      const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : k.expiresAt && k.expiresAt <= new Date() ? "expired" : "active";
      // A label is free text: a tab or a line break in it would make a column or a line of its own.
      const label = k.label?.replace(/\s+/g, " ").trim() || "-";
      out([k.id, k.role, k.regions.join(",") || "-", state, k.createdAt.toISOString(), k.expiresAt ? expiry(k.expiresAt) : "-", label].join("\t"));
    }
  } else {
    const { revokedAt, already } = await keys.revoke(command.id).catch((error: unknown) => {
      throw error instanceof NotFoundError ? new Error(`${error.message} \`npm run apikey -- list\` shows the keys.`) : error;
    });
    out(
      already
        ? `Key ${command.id} was already revoked, at ${revokedAt.toISOString()}: nothing changed.`
        : `Revoked key ${command.id}: requests with it are refused from now on.`,
    );
  }
}

/** The command line: checked first, then run on the configured database, opened (and prepared) for it. */
export async function run(argv: string[], out: (line: string) => void, env = process.env): Promise<void> {
  const command = parseCommand(argv);
  if (command.name === "help") return out(USAGE);
  const config = loadConfig(env);
  // Opening an empty database prepares it as `npm start` would, so `--region correze` works on a fresh install.
  const db = await openDatabase(databaseOptions(config), async (db) => config.seed === "correze" && seedIfEmpty(db));
  try {
    await execute(command, db, out);
  } finally {
    await db.destroy();
  }
}

if (require.main === module) {
  runMain("apikey", USAGE, () => run(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`)).then(() => 0));
}
