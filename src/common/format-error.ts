import { GraphQLError, GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import { ArgumentValidationError } from "type-graphql";
import type { ValidationError } from "class-validator";
import { AppError, ErrorCode } from "./errors";
import { translateDatabaseError, unavailability } from "./db-errors";

const PUBLIC_CODES = new Set<string>([
  ...Object.values(ErrorCode),
  "GRAPHQL_PARSE_FAILED",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
  "RATE_LIMITED",
]);

function validationMessages(errors: ValidationError[], prefix = ""): { field: string; reason: string }[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((text) => ({
      field,
      // class-validator starts its texts with the property name; the field path says it already.
      reason: text.startsWith(`${error.property} `) ? text.slice(error.property.length + 1) : text,
    }));
    return [...own, ...validationMessages(error.children ?? [], field)];
  });
}

/**
 * What a client may see of an error: ours and GraphQL's own as they are, argument validation
 * naming each field, database refusals translated, and anything else masked (it is logged by
 * the server with the request id).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, production: boolean): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof ArgumentValidationError) {
    const problems = validationMessages(original.extensions.validationErrors as ValidationError[]);
    return {
      ...formatted,
      message: problems.map((p) => `${p.field}: ${p.reason}`).join("; ") || "The arguments are not valid.",
      extensions: { code: ErrorCode.BAD_USER_INPUT, fields: problems },
    };
  }
  const translated = translateDatabaseError(original);
  if (translated instanceof AppError) {
    // `http` (status, headers) is for Apollo's response, not for the client's JSON.
    const { http: _http, ...extensions } = translated.extensions;
    return { message: translated.message, locations: formatted.locations, path: formatted.path, extensions };
  }
  const code = formatted.extensions?.code;
  // A bad scalar literal written in the query (e.g. a Date) fails validation, but it is the input that is wrong.
  if (code === ErrorCode.GRAPHQL_VALIDATION_FAILED && original instanceof GraphQLError && original.originalError instanceof GraphQLError) {
    if (original.originalError.extensions?.code === ErrorCode.BAD_USER_INPUT) {
      return { ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.BAD_USER_INPUT } };
    }
  }
  if (typeof code === "string" && PUBLIC_CODES.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) return formatted;
  if (original instanceof GraphQLError && !original.originalError && code === undefined) return formatted;
  // The request id, when the error already carries it (a failed request context), stays: it is what the logs are searched by.
  const requestId = formatted.extensions?.requestId;
  return {
    message: production ? "Internal server error: the problem has been logged; try again later." : `Internal server error: ${(original as Error)?.message ?? String(original)}`,
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, ...(typeof requestId === "string" ? { requestId } : {}) },
  };
}

/** True when an error will reach the client masked as INTERNAL_SERVER_ERROR (so it must be logged). */
export function isUnexpected(error: unknown): boolean {
  // The database being down or busy is an outage, not a bug: its 503 is the whole story, no stack.
  if (unavailability(unwrapResolverError(error))) return false;
  return formatError({ message: "" , extensions: (error as GraphQLError)?.extensions }, error, true).extensions?.code === ErrorCode.INTERNAL_SERVER_ERROR;
}
