import { GraphQLError, GraphQLScalarType, Kind } from "graphql";

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar day written YYYY-MM-DD. */
export function isCalendarDay(value: string): boolean {
  const match = DAY.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function parseDay(value: unknown): string {
  if (typeof value !== "string" || !isCalendarDay(value)) {
    throw new GraphQLError(`Date must be a calendar day written YYYY-MM-DD, got ${JSON.stringify(value)}`, {
      extensions: { code: "BAD_USER_INPUT" },
    });
  }
  return value;
}

/** A calendar day, `YYYY-MM-DD`, without time or zone. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: "Date",
  description: "A calendar day, written YYYY-MM-DD (ISO 8601), without time or time zone.",
  serialize(value) {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    return parseDay(value);
  },
  parseValue: parseDay,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError("Date must be a string written YYYY-MM-DD", { extensions: { code: "BAD_USER_INPUT" } });
    }
    return parseDay(ast.value);
  },
});
