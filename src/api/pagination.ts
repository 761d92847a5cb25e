import { ArgsType, ClassType, Field, Int, ObjectType } from "type-graphql";
import { InputError } from "../errors";
import { inRange, PAGE_SIZE } from "./ranges";


@ObjectType({ simpleResolvers: true })
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

export const MAX_PAGE_SIZE = PAGE_SIZE.max;
export const DEFAULT_PAGE_SIZE = PAGE_SIZE.fallback;

/** `first` and `after` of every Relay connection; a list's args class extends this. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE, description: `${PAGE_SIZE.min}..${PAGE_SIZE.max}` })
  // Its range is checked by checkPageSize, and before the cost limit (src/http/limits.ts).
  first: number | null;

  @Field(() => String, { nullable: true, description: "A cursor from a previous page: the page starts after it." })
  after?: string | null;
}

/** Builds `XConnection` and `XEdge` types for a node type (Relay connections). */
export function Connection<T extends object>(Node: ClassType<T>) {
  @ObjectType(`${Node.name}Edge`, { simpleResolvers: true })
  class Edge {
    @Field()
    cursor: string;

    @Field(() => Node)
    node: T;
  }

  @ObjectType({ simpleResolvers: true })
  abstract class ConnectionType {
    @Field(() => [Edge])
    edges: Edge[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    @Field(() => Int, { description: "How many nodes match the filter, across all pages." })
    totalCount: number | Promise<number>;
  }
  return ConnectionType;
}

/** A position in a list ordered by (sort key, id); opaque to clients. */
export interface Cursor {
  key: string;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.key, cursor.id]), "utf8").toString("base64url");
}

export function decodeCursor(value: string, field = "after"): Cursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((part) => typeof part === "string")) {
      return { key: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new InputError(field, "is not a cursor this API gave out; pass a pageInfo.endCursor or an edge's cursor");
}

/** The page size asked for (null means the default), or BAD_USER_INPUT outside PAGE_SIZE. */
export function checkPageSize(first: number | null | undefined, field = "first"): number {
  return inRange(first, PAGE_SIZE, field);
}
