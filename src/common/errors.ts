import { GraphQLError } from "graphql";
import { HeaderMap } from "@apollo/server";

/** The contract's error codes (API.md, "Errors"). */
export enum ErrorCode {
  BAD_USER_INPUT = "BAD_USER_INPUT",
  NOT_FOUND = "NOT_FOUND",
  CONFLICT = "CONFLICT",
  UNAUTHENTICATED = "UNAUTHENTICATED",
  FORBIDDEN = "FORBIDDEN",
  GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED",
  INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR",
}

/** Base of every error meant for the client: its message is safe to show. */
export class AppError extends GraphQLError {
  constructor(message: string, code: ErrorCode, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extensions } });
    this.name = new.target.name;
  }
}

/** The input is wrong; `field` is its path in the arguments (e.g. `input.eligibility.minAge`). */
export class InputError extends AppError {
  constructor(
    readonly field: string,
    /** What is wrong with it, without the field's name (the message holds both). */
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`, ErrorCode.BAD_USER_INPUT, { field });
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, ref: string, field?: string) {
    super(`No ${what} "${ref}" exists${field ? ` (${field})` : ""}.`, ErrorCode.NOT_FOUND, field ? { field } : {});
  }
}

export class ConflictError extends AppError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message, ErrorCode.CONFLICT, extensions);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = "This needs an API key: send `Authorization: Bearer TOKEN` (create one with `npm run apikey -- create`).") {
    super(message, ErrorCode.UNAUTHENTICATED);
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
    super(message, ErrorCode.INTERNAL_SERVER_ERROR, {
      retryAfterSeconds,
      http: { status: 503, headers: new HeaderMap([["retry-after", String(retryAfterSeconds)]]) },
    });
  }
}
