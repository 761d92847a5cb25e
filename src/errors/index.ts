import type http from "node:http";
import { GraphQLError } from "graphql";
import { HeaderMap } from "@apollo/server";

// The one error module: the codes a client can get, the errors that carry them with their HTTP
// status, and the one error body of every route. How GraphQL's and Apollo's own errors become
// these is in ./format.ts; how the database's refusals do, in ./database.ts (called where the
// database is called: the write transaction, and the formatter for anything that escaped).

/**
 * Every `extensions.code` a client can get (docs/api.md, "Errors"): the contract's closed list.
 * A wrong HTTP request (not JSON, too large, wrong content type or method) is BAD_USER_INPUT naming
 * the part of the request to change (RequestError); a document that does not parse is
 * GRAPHQL_VALIDATION_FAILED (./format.ts renames Apollo's own codes: BAD_REQUEST,
 * GRAPHQL_PARSE_FAILED, OPERATION_RESOLUTION_FAILURE and the rest never reach a client).
 */
export enum ErrorCode {
  BAD_USER_INPUT = "BAD_USER_INPUT",
  NOT_FOUND = "NOT_FOUND",
  CONFLICT = "CONFLICT",
  UNAUTHENTICATED = "UNAUTHENTICATED",
  FORBIDDEN = "FORBIDDEN",
  GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED",
  /** Over WRITE_RATE_LIMIT or GRAPH_RATE_LIMIT: HTTP 429 with Retry-After. */
  RATE_LIMITED = "RATE_LIMITED",
  INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR",
}

/** The header, set first on every response, that also gives error bodies their `extensions.requestId`. */
export const REQUEST_ID_HEADER = "x-request-id";

/** The one error body of every route: `{"errors":[{"message","extensions":{"code","requestId",...}}]}`. */
export function errorBody(code: ErrorCode, message: string, requestId: string | undefined, extensions: Record<string, unknown> = {}): string {
  return JSON.stringify({ errors: [{ message, extensions: { code, ...extensions, ...(requestId ? { requestId } : {}) } }] });
}

/** Answers a request outside GraphQL with `error`: its status, its headers, errorBody(). */
export function sendError(response: http.ServerResponse, error: AppError): void {
  const requestId = response.getHeader(REQUEST_ID_HEADER);
  const { code, http: _http, ...extensions } = error.extensions as Record<string, unknown> & { code: ErrorCode };
  const body = errorBody(code, error.message, typeof requestId === "string" ? requestId : undefined, extensions);
  response.writeHead(error.status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(body)),
    ...error.headers,
  });
  response.end(body);
}

/** The HTTP status each code is answered with outside GraphQL (inside, an answer is 200 unless the error says otherwise). */
const STATUS: Record<ErrorCode, number> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.GRAPHQL_VALIDATION_FAILED]: 400,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.INTERNAL_SERVER_ERROR]: 500,
};

/** How an error changes the HTTP answer: its status and headers, also inside GraphQL when `always`. */
interface HttpAnswer {
  status: number;
  headers?: Record<string, string>;
  /** The status holds for a GraphQL answer too (429, 503), not only outside GraphQL. */
  always?: boolean;
}

/**
 * Base of every error meant for the client: its message is safe to show. `status` and `headers`
 * are its HTTP answer outside GraphQL (sendError); inside, Apollo answers 200 unless `http.always`
 * puts them in `extensions.http` (which ./format.ts keeps from the client's JSON).
 */
export class AppError extends GraphQLError {
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(message: string, code: ErrorCode, extensions: Record<string, unknown> = {}, http?: HttpAnswer) {
    const headers = http?.headers ?? {};
    super(message, {
      extensions: { code, ...extensions, ...(http?.always ? { http: { status: http.status, headers: new HeaderMap(Object.entries(headers)) } } : {}) },
    });
    this.name = new.target.name;
    this.status = http?.status ?? STATUS[code];
    this.headers = headers;
  }
}

/**
 * The HTTP request itself is wrong (not JSON, too large, wrong content type or method): BAD_USER_INPUT
 * whose one field is the part of the request to change (`content-type`, `body`, `query`, `method`,
 * a header's name), with the HTTP status that says it (405 with `allow`, 413, 415 with `accept`).
 */
export class RequestError extends AppError {
  constructor(status: number, part: string, message: string, headers: Record<string, string> = {}) {
    super(message, ErrorCode.BAD_USER_INPUT, { fields: [{ field: part, reason: message }] }, { status, headers });
  }
}

/** Over WRITE_RATE_LIMIT or GRAPH_RATE_LIMIT: HTTP 429 with Retry-After, inside GraphQL too. */
export class RateLimitedError extends AppError {
  constructor(message: string, retryAfterSeconds: number) {
    super(message, ErrorCode.RATE_LIMITED, { retryAfterSeconds }, { status: 429, headers: { "retry-after": String(retryAfterSeconds) }, always: true });
  }
}

/** One wrong field of an input: its path in the arguments (or a file's record) and what is wrong with it. */
export interface FieldFault {
  field: string;
  reason: string;
}

/**
 * The input is wrong. `fields` lists every wrong field found at once (docs/api.md: a mutation with
 * five wrong fields reports five); `field` and `reason` are the first, which the message names.
 */
export class InputError extends AppError {
  readonly field: string;
  /** What is wrong with the first field, without the field's name (the message holds both). */
  readonly reason: string;
  readonly fields: readonly FieldFault[];

  constructor(field: string, reason: string, more: readonly FieldFault[] = []) {
    const fields = [{ field, reason }, ...more];
    const others = more.length === 0 ? "" : ` (and ${more.length} more wrong field${more.length === 1 ? "" : "s"}: see extensions.fields)`;
    super(`${field}: ${reason}${others}`, ErrorCode.BAD_USER_INPUT, { field, fields });
    this.field = field;
    this.reason = reason;
    this.fields = fields;
  }

  /** One error listing every fault (there must be at least one). */
  static of(faults: readonly FieldFault[]): InputError {
    const [first, ...more] = faults;
    return new InputError(first.field, first.reason, more);
  }
}

/**
 * Collects the faults of many checks so that one answer lists them all. Each check is a function
 * that may throw an InputError (the validators of src/domain/validate.ts do); other errors pass.
 *
 *   const faults = new Faults();
 *   const name = faults.check(() => requiredText(input.name, "input.name"));
 *   const kind = faults.check(() => enumValue(OrganizationKind, input.kind, "input.kind"));
 *   faults.throwIfAny(); // from here on, name and kind are set
 */
export class Faults {
  private readonly list: FieldFault[] = [];

  /** Runs one check; its value, or undefined when it refused (its faults are kept). */
  check<T>(run: () => T): T | undefined {
    try {
      return run();
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      this.list.push(...error.fields);
      return undefined;
    }
  }

  /** Async form of check(). */
  async checkAsync<T>(run: () => Promise<T>): Promise<T | undefined> {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      this.list.push(...error.fields);
      return undefined;
    }
  }

  add(field: string, reason: string): void {
    this.list.push({ field, reason });
  }

  get any(): boolean {
    return this.list.length > 0;
  }

  get all(): readonly FieldFault[] {
    return this.list;
  }

  /** Throws one InputError listing every fault collected, if any. */
  throwIfAny(): void {
    if (this.list.length > 0) throw InputError.of(this.list);
  }
}

export class NotFoundError extends AppError {
  /** `hint`: what to ask instead ("did you mean ..."), said after the message, and kept for routes that word it their way. */
  constructor(
    what: string,
    ref: string,
    field?: string,
    readonly hint?: string,
  ) {
    super(`No ${what} "${ref}" exists${field ? ` (${field})` : ""}${hint ? `: ${hint}` : ""}.`, ErrorCode.NOT_FOUND, field ? { field } : {});
  }
}

export class ConflictError extends AppError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message, ErrorCode.CONFLICT, extensions);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = "This needs an API key: send `Authorization: Bearer TOKEN` (create one with `npm run apikey -- create`).") {
    super(message, ErrorCode.UNAUTHENTICATED, {}, { status: 401, headers: { "www-authenticate": "Bearer" } });
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string) {
    super(message, ErrorCode.FORBIDDEN);
  }
}

/** A stale `expectedVersion`. */
export class VersionConflictError extends ConflictError {
  constructor(what: string, id: string, expected: number, actual: number) {
    super(
      `The ${what} ${id} is at version ${actual}, not the expected ${expected}: someone changed it meanwhile. Reload it and apply your change again.`,
      { expectedVersion: expected, actualVersion: actual },
    );
  }
}

/**
 * The database cannot serve the request now (down, restarting, every connection busy, a statement
 * over its time): the contract's INTERNAL_SERVER_ERROR, with a message saying so, and HTTP 503
 * with Retry-After so that clients and load balancers wait rather than hammer.
 */
export class UnavailableError extends AppError {
  constructor(message: string, retryAfterSeconds = 5) {
    super(message, ErrorCode.INTERNAL_SERVER_ERROR, { retryAfterSeconds }, { status: 503, headers: { "retry-after": String(retryAfterSeconds) }, always: true });
  }
}
