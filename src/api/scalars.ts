import { GraphQLError, GraphQLScalarType, Kind, ValueNode } from "graphql";
import { ErrorCode } from "../errors";

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar day written YYYY-MM-DD. */
export function isCalendarDay(value: string): boolean {
  const match = DAY.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** `node`: the literal in the document, so that the error names where it stands (src/errors/format.ts). */
function parseDay(value: unknown, node?: ValueNode): string {
  if (typeof value !== "string" || !isCalendarDay(value)) {
    throw new GraphQLError(`Date must be a calendar day written YYYY-MM-DD, got ${JSON.stringify(value)}`, {
      nodes: node,
      extensions: { code: ErrorCode.BAD_USER_INPUT },
    });
  }
  return value;
}

/** A calendar day, `YYYY-MM-DD`, without time or zone. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: "Date",
  description: "A calendar day, written YYYY-MM-DD (ISO 8601), without time or time zone.",
  // Output comes from date columns, already calendar days: the shape is checked, not the calendar
  // (this runs for every since/until of every answer).
  serialize(value) {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    if (typeof value === "string" && DAY.test(value)) return value;
    return parseDay(value);
  },
  parseValue: (value) => parseDay(value),
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError("Date must be a string written YYYY-MM-DD", { nodes: ast, extensions: { code: ErrorCode.BAD_USER_INPUT } });
    }
    return parseDay(ast.value, ast);
  },
});
