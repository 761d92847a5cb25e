import { ASTNode, GraphQLError, GraphQLFormattedError, Kind, parse, visit } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import { AppError, ErrorCode, FieldFault } from ".";
import { translateDatabaseError, unavailability } from "./database";

const PUBLIC_CODES = new Set<string>([
  ...Object.values(ErrorCode),
  // Apollo's automatic persisted queries: the protocol's own answer, on which its clients resend the query.
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
]);

/** Apollo Server's codes outside the contract's list, and the contract's code each one is. */
const APOLLO_CODES: Record<string, { code: ErrorCode; field?: string }> = {
  GRAPHQL_PARSE_FAILED: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED },
  BAD_REQUEST: { code: ErrorCode.BAD_USER_INPUT, field: "body" },
  OPERATION_RESOLUTION_FAILURE: { code: ErrorCode.BAD_USER_INPUT, field: "operationName" },
};

/** The nodes a wrong value written in the document is reported on (ValuesOfCorrectTypeRule). */
const VALUE_KINDS = new Set<string>([
  Kind.INT,
  Kind.FLOAT,
  Kind.STRING,
  Kind.BOOLEAN,
  Kind.NULL,
  Kind.ENUM,
  Kind.LIST,
  Kind.OBJECT,
  Kind.OBJECT_FIELD,
]);

/**
 * The argument path of a value written in the document, e.g. `filter.categories[1]`: found by
 * its position in the document's text, since graphql-js gives the node without its parents.
 */
function argumentPath(target: ASTNode): string | undefined {
  const source = target.loc?.source;
  if (!source) return undefined;
  let found: string | undefined;
  visit(parse(source), {
    enter(node, _key, parent, path, ancestors) {
      if (found !== undefined) return false;
      if (node.kind !== target.kind || node.loc?.start !== target.loc?.start) return undefined;
      // ancestors stop before the parent; path[i - 1] is the key of chain[i] in chain[i - 1].
      const chain = [...ancestors, parent, node];
      let segments = "";
      for (let i = 1; i < chain.length; i++) {
        const element = chain[i] as ASTNode | readonly ASTNode[];
        if (Array.isArray(element)) continue;
        const owner = chain[i - 2] as ASTNode | undefined;
        const one = element as ASTNode;
        if (one.kind === Kind.ARGUMENT) segments = one.name.value;
        else if (one.kind === Kind.VARIABLE_DEFINITION) segments = one.variable.name.value;
        else if (one.kind === Kind.OBJECT_FIELD) segments += `.${one.name.value}`;
        else if (owner?.kind === Kind.LIST) segments += `[${String(path[i - 1])}]`;
      }
      found = segments.replace(/^\./, "") || undefined;
      return false;
    },
  });
  return found;
}

// graphql-js says which variable and where only in its message (values.js, getVariableValues).
const VARIABLE_AT = /^Variable "\$(\w+)" got invalid value .*? at "(\1[^"]*)"; (.*)$/s;
const VARIABLE_VALUE = /^Variable "\$(\w+)" got invalid value .*?; (.*)$/s;
const VARIABLE_OTHER = /^Variable "\$(\w+)" (.*)$/s;

/** The `fields` of a BAD_USER_INPUT made by graphql-js or Apollo (docs/api.md: every one carries them). */
function inputFields(message: string, original: unknown): FieldFault[] {
  let match = VARIABLE_AT.exec(message);
  if (match) return [{ field: match[2], reason: match[3] }];
  match = VARIABLE_VALUE.exec(message);
  if (match) return [{ field: match[1], reason: match[2] }];
  match = VARIABLE_OTHER.exec(message);
  if (match) return [{ field: match[1], reason: match[2] }];
  const node = original instanceof GraphQLError ? original.nodes?.[0] : undefined;
  const field = node ? argumentPath(node) : undefined;
  return [{ field: field ?? "query", reason: message }];
}

/** Ensures a BAD_USER_INPUT answer lists its fields; any other passes as it is. */
function withFields(formatted: GraphQLFormattedError, original: unknown): GraphQLFormattedError {
  if (formatted.extensions?.code !== ErrorCode.BAD_USER_INPUT || Array.isArray(formatted.extensions.fields)) return formatted;
  return { ...formatted, extensions: { ...formatted.extensions, fields: inputFields(formatted.message, original) } };
}

/** A validation error on a value written in the document: it is the input that is wrong (a bad enum value, date, type). */
function isWrongLiteral(original: unknown): boolean {
  const node = original instanceof GraphQLError ? original.nodes?.[0] : undefined;
  return node !== undefined && VALUE_KINDS.has(node.kind);
}

/**
 * What a client may see of an error: ours and GraphQL's own as they are, argument validation
 * naming each field, database refusals translated, and anything else masked (it is logged by
 * the server with the request id).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, production: boolean): GraphQLFormattedError {
  return withFields(publicError(formatted, error, production), unwrapResolverError(error));
}

function publicError(formatted: GraphQLFormattedError, error: unknown, production: boolean): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const translated = translateDatabaseError(original);
  if (translated instanceof AppError) {
    // `http` (status, headers) is for Apollo's response, not for the client's JSON.
    const { http: _http, ...extensions } = translated.extensions;
    return { message: translated.message, locations: formatted.locations, path: formatted.path, extensions };
  }
  const apollo = APOLLO_CODES[String(formatted.extensions?.code)];
  if (apollo) {
    const fields = apollo.field ? { fields: [{ field: apollo.field, reason: formatted.message }] } : {};
    return { ...formatted, extensions: { ...formatted.extensions, code: apollo.code, ...fields } };
  }
  const code = formatted.extensions?.code;
  // A bad literal written in the query (an enum value that does not exist, a malformed Date) fails validation, but it is the input that is wrong.
  if (code === ErrorCode.GRAPHQL_VALIDATION_FAILED && (isWrongLiteral(error) || isWrongLiteral(original))) {
    return { ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.BAD_USER_INPUT } };
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
