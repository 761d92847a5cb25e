import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from "typeorm";
import { AppError, ConflictError, InputError, UnavailableError } from ".";

interface DriverError {
  code?: string;
  constraint?: string;
  detail?: string;
}

// What each named constraint of the migrations means to a client: the field and the reason.
const CONSTRAINTS: Record<string, { field: string; reason: string; conflict?: boolean }> = {
  regions_slug_unique: { field: "input.slug", reason: "a region with this slug already exists", conflict: true },
  organizations_slug_unique: {
    field: "input.slug",
    reason: "an organization with this slug already exists; choose another slug",
    conflict: true,
  },
  platforms_slug_unique: { field: "input.slug", reason: "a platform with this slug already exists", conflict: true },
  regions_slug_format: { field: "input.slug", reason: "must be lower-case letters, digits and single dashes" },
  organizations_slug_format: { field: "input.slug", reason: "must be lower-case letters, digits and single dashes" },
  regions_country_format: { field: "input.country", reason: "must be an ISO 3166-1 alpha-2 code such as FR" },
  regions_nuts_code_format: { field: "input.nutsCode", reason: "must be a NUTS code such as FRI21" },
  services_min_age_range: { field: "input.services.eligibility.minAge", reason: "must lie within 0..120" },
  services_max_age_range: { field: "input.services.eligibility.maxAge", reason: "must lie within 0..120" },
  services_age_order: { field: "input.services.eligibility", reason: "minAge must not exceed maxAge" },
  referrals_min_age_range: { field: "input.eligibility.minAge", reason: "must lie within 0..120" },
  referrals_max_age_range: { field: "input.eligibility.maxAge", reason: "must lie within 0..120" },
  referrals_age_order: { field: "input.eligibility", reason: "minAge must not exceed maxAge" },
  referrals_no_self_referral: { field: "input.to", reason: "a referral must go to another organization" },
  referrals_date_order: { field: "input.until", reason: "must not be before since" },
  referrals_ended_has_until: { field: "input.until", reason: "must be given when the status is ENDED: the day the referral ended (or use endReferral)" },
  referrals_categories_present: { field: "input.categories", reason: "give at least one category" },
};

const RETRYABLE = new Set(["40001", "40P01"]); // serialization failure, deadlock

export function driverError(error: unknown): DriverError | undefined {
  if (error instanceof QueryFailedError) return error.driverError as DriverError;
  if (error && typeof error === "object" && "code" in error) return error as DriverError;
  return undefined;
}

export function isRetryable(error: unknown): boolean {
  return RETRYABLE.has(driverError(error)?.code ?? "");
}

/** The code of the embedded database's error when no turn came within DB_POOL_TIMEOUT_MS. */
export const POOL_TIMEOUT = "PASSERELLE_POOL_TIMEOUT";

/** node-postgres' words when a statement got no answer within its client-side `query_timeout`. */
export const READ_TIMEOUT_MESSAGE = "Query read timeout";

/** Network failures of the connection, PostgreSQL's connection-exception class and its shutdowns. */
const CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENOTFOUND", "EAI_AGAIN", "57P01", "57P02", "57P03"]);
const CONNECTION_MESSAGES = /Connection terminated|is not queryable|terminating connection|the database system is (starting up|shutting down)/i;

/** The database cannot serve now: down, every connection busy, or a statement stopped by its time limit. */
export function unavailability(error: unknown): UnavailableError | undefined {
  if (error instanceof UnavailableError) return error;
  const message = error instanceof Error ? error.message : "";
  const code = driverError(error)?.code ?? "";
  // pg's pool says it in words only; the embedded database's pool (src/db/pglite-driver.ts) by code.
  if (code === POOL_TIMEOUT || /timeout exceeded when trying to connect/.test(message)) {
    return new UnavailableError("The database is busy: no connection became free in time (DB_POOL_SIZE, DB_POOL_TIMEOUT_MS). Try again in a moment.", 2);
  }
  // node-postgres' own limit (query_timeout, src/db/data-source.ts): the server did not answer at all.
  if (message === READ_TIMEOUT_MESSAGE) {
    return new UnavailableError(`The database did not answer within STATEMENT_TIMEOUT_MS (it may be frozen or unreachable). Try again in a moment: GET /readyz answers 200 again once it is back.`, 5);
  }
  if (code === "57014") {
    return new UnavailableError("A database statement ran longer than STATEMENT_TIMEOUT_MS and was stopped. Ask for less (a smaller page, fewer fields), or try again later.", 5);
  }
  // TypeORM releases a query runner whose connection died (57P01 when PostgreSQL stops, a cut
  // socket); the transaction's next statement (its ROLLBACK, say) then throws one of these instead.
  const released = error instanceof QueryRunnerAlreadyReleasedError || error instanceof QueryRunnerProviderAlreadyReleasedError;
  if (released || CONNECTION_CODES.has(code) || code.startsWith("08") || CONNECTION_MESSAGES.test(message)) {
    return new UnavailableError("The database is not answering. Try again in a moment: GET /readyz answers 200 again once it is back.", 5);
  }
  return undefined;
}

/** Turns a database refusal into the contract's error; anything unexpected is returned as is. */
export function translateDatabaseError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  const unavailable = unavailability(error);
  if (unavailable) return unavailable;
  const driver = driverError(error);
  if (!driver?.code) return error;
  const known = driver.constraint ? CONSTRAINTS[driver.constraint] : undefined;
  switch (driver.code) {
    case "23505":
      return known
        ? new ConflictError(`${known.field}: ${known.reason}.`, { field: known.field })
        : new ConflictError("This record already exists.");
    case "23514":
      return known ? new InputError(known.field, known.reason) : new InputError("input", "a value is out of range");
    case "23503":
    case "23001":
      return new ConflictError(
        "This change would break a link between records (it refers to something missing, or something still refers to it).",
      );
    case "22P02":
    case "22007":
    case "22008":
      return new InputError("input", "a value has the wrong format");
    case "22021":
      return new InputError("input", "a text contains a character the database cannot store (such as U+0000)");
    default:
      return error;
  }
}
