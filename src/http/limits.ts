// Query limits: what one GraphQL request may ask, checked before anything runs. Depth, aliases and
// directives are graphql-armor's validation rules; tokens are graphql-js's own parser limit
// (armor's token plugin turns syntax errors into HTTP 500 under Apollo: its issues 571, 605, 751); cost is
// graphql-query-complexity, which sees variables. Every refusal is GRAPHQL_VALIDATION_FAILED with
// a message naming the limit and its setting; an argument outside its range (src/api/ranges.ts)
// is BAD_USER_INPUT naming it, found on the same walk and said first.
import { DocumentNode, getNullableType, GraphQLError, GraphQLSchema, isListType, ValidationContext, ValidationRule } from "graphql";
import type { ApolloServerPlugin } from "@apollo/server";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDirectivesRule } from "@escape.tech/graphql-armor-max-directives";
import { ComplexityEstimator, getComplexity } from "graphql-query-complexity";
import { ErrorCode, Faults } from "../errors";
import { AGE, agesFaults, ARGUMENT_RANGES, clamped, isInRange, PAGE_SIZE, PATHWAY_LIMIT, rangeReason } from "../api/ranges";
import { graphQueryRules } from "../graph/graph-query";

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxCost: number;
}

/** The guessed length of a list whose size no argument gives (services, referralsOut, members...). */
export const UNSIZED_LIST = 10;
/** Searching for paths or chains grows with the branching of the network: this base raised to maxHops/maxDepth. */
export const GRAPH_SEARCH_BASE = 3;

function limitError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED } });
}

/** armor reports by throwing a "Syntax Error: ..." when told to propagate; reported instead, with our words. */
function reportTo(context: ValidationContext | null, setting: string, advice: string) {
  return (_: ValidationContext | null, error: GraphQLError) => {
    const what = error.message.replace(/^Syntax Error: /, "").replace(/\.$/, "");
    context?.reportError(limitError(`Query refused: ${what} (${setting}). ${advice}`));
  };
}

/** Validation rules for depth, aliases and directives (they do not depend on variables, so Apollo caches their verdict per document). */
export function limitRules(limits: QueryLimits): ValidationRule[] {
  const rule =
    (make: (context: ValidationContext) => unknown): ValidationRule =>
    (context) =>
      make(context) as ReturnType<ValidationRule>;
  return [
    rule((context) =>
      maxDepthRule({ n: limits.maxDepth, propagateOnRejection: false, exposeLimits: true, onReject: [reportTo(context, "MAX_QUERY_DEPTH", "Ask for fewer nested levels.")] })(context),
    ),
    rule((context) =>
      maxAliasesRule({ n: limits.maxAliases, propagateOnRejection: false, exposeLimits: true, onReject: [reportTo(context, "MAX_ALIASES", "Send fewer aliased fields, or several requests.")] })(context),
    ),
    rule((context) =>
      maxDirectivesRule({ n: limits.maxDirectives, propagateOnRejection: false, exposeLimits: true, onReject: [reportTo(context, "MAX_DIRECTIVES", "Use fewer directives.")] })(context),
    ),
  ];
}

/** The price of one __schema or __type, whatever it selects: a tool's one query passes, a dozen aliased ones do not. */
export const INTROSPECTION_COST = 2000;

/**
 * The price of a field: 1, plus what it selects times how many it returns — `first` or `limit`
 * when the field takes one, UNSIZED_LIST for other lists (a connection's edges are priced by its
 * `first`). A graph query adds the price its field declares: GRAPH_SEARCH_BASE^maxHops (or
 * ^maxDepth) for the searches, a fixed price for the whole-graph queries. Arguments are priced
 * clamped to their ranges (src/api/ranges.ts): one out of range is refused by
 * argumentRangeCheck, never priced astronomically.
 */
export const costEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  // Introspection (__schema, __type) is answered from the schema in memory, and how many lists deep
  // it may nest is bounded by graphql-js's MaxIntrospectionDepthRule, one of the rules Apollo always
  // runs: priced INTROSPECTION_COST with all it selects. Priced by list sizes, the introspection
  // query of GraphiQL or of a code generator came to some 50,000, over MAX_QUERY_COST; priced 1, a
  // dozen aliased copies of it (a megabyte and a half of answer) cost 15.
  if (field.name === "__typename") return 1;
  if (field.name.startsWith("__")) return INTROSPECTION_COST;
  // A connection's edges are as many as its field's `first`, which priced them already.
  const returnsList = isListType(getNullableType(field.type)) && !(field.name === "edges" && type.name.endsWith("Connection"));
  const size =
    typeof args.first === "number" ? clamped(args.first, PAGE_SIZE) : typeof args.limit === "number" ? clamped(args.limit, PATHWAY_LIMIT) : returnsList ? UNSIZED_LIST : 1;
  let cost = 1 + size * childComplexity;
  // A graph query's own price, as its field declares it (src/graph/graph-query.ts), at the root or nested.
  const rules = graphQueryRules(field);
  if (rules) {
    const own = rules.cost;
    cost += "search" in own ? GRAPH_SEARCH_BASE ** clamped(args[own.search.argument], own.search.range) : own.fixed;
  }
  return cost;
};

/** Ages of profiles (ProfileInput.age), wherever they sit in a field's arguments: `profile.age`, `filter.profile.age`. */
function ageFaults(value: unknown, path: string, faults: Faults): void {
  if (value === null || typeof value !== "object") return;
  for (const [key, inner] of Object.entries(value)) {
    const field = Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`;
    if (key === "age" && !Array.isArray(value)) {
      if (inner !== null && inner !== undefined && !isInRange(inner, AGE)) faults.add(field, rangeReason(AGE, inner, " of years"));
    } else {
      ageFaults(inner, field, faults);
    }
  }
}

/**
 * An estimator that prices nothing (the next one does) and collects every argument outside its
 * documented range (docs/api.md: BAD_USER_INPUT naming the argument, even where the cost limit would
 * also refuse). It sees the arguments with the operation's variables in place.
 */
export function argumentRangeCheck(faults: Faults): ComplexityEstimator {
  return ({ args }) => {
    for (const [name, value] of Object.entries(args)) {
      const range = ARGUMENT_RANGES[name];
      if (range && value !== null && value !== undefined && !isInRange(value, range)) faults.add(name, rangeReason(range, value));
      else if (name === "ages" && Array.isArray(value)) agesFaults(value, faults);
      else if (!range) ageFaults(value, name, faults);
    }
    return undefined;
  };
}

/** What the cost walk found for one document and one set of numbers: its price and the arguments out of range. */
interface Verdict {
  cost: number;
  faults: Faults;
}

/** Verdicts kept per document: past this many variable sets, a document's are dropped and found again. */
const VERDICTS_PER_DOCUMENT = 256;

/**
 * What a verdict depends on: the operation and every variable value but the text of strings. A
 * price and a range only ever read numbers, booleans (@skip, @include) and input objects (a
 * profile's age); a slug, a search text or an enum changes neither, so a dashboard asking the same
 * page of every region is priced once. A string is kept as its kind: a string where a number is
 * expected is not mistaken for that number.
 */
export function verdictKey(operationName: string | null | undefined, variables: Record<string, unknown> | undefined): string {
  return `${operationName ?? ""}\n${JSON.stringify(variables ?? {}, (_, value: unknown) => (typeof value === "string" ? "" : value))}`;
}

/**
 * Refuses an operation whose price (with its variables) is over maxCost, before it runs. The walk
 * is made once per document and verdict key (Apollo keeps one parsed document per query text).
 */
export function costLimitPlugin<T extends object>(maxCost: number): ApolloServerPlugin<T> {
  const verdicts = new WeakMap<DocumentNode, Map<string, Verdict>>();
  const verdictOf = (schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | undefined, operationName: string | null | undefined): Verdict | undefined => {
    let known = verdicts.get(document);
    const key = verdictKey(operationName, variables);
    const kept = known?.get(key);
    if (kept) return kept;
    const faults = new Faults();
    let cost: number;
    try {
      cost = getComplexity({ schema, query: document, variables: variables ?? {}, operationName: operationName ?? undefined, estimators: [argumentRangeCheck(faults), costEstimator] });
    } catch {
      return undefined; // variables that do not fit the operation: execution says so precisely (never kept)
    }
    if (!known) verdicts.set(document, (known = new Map()));
    if (known.size >= VERDICTS_PER_DOCUMENT) known.clear();
    const verdict = { cost, faults };
    known.set(key, verdict);
    return verdict;
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operationName }) {
          const verdict = verdictOf(schema, document, request.variables, operationName);
          if (!verdict) return;
          // The ranges first: an argument out of range is the client's to fix, whatever the price.
          try {
            verdict.faults.throwIfAny();
          } catch (error) {
            (error as GraphQLError).extensions.http = { status: 400 };
            throw error;
          }
          if (verdict.cost > maxCost) {
            const error = limitError(
              `Query refused: its cost of ${verdict.cost} is over the limit of ${maxCost} (MAX_QUERY_COST). Lists are priced by first/limit, ` +
                `pathways and referralChain by ${GRAPH_SEARCH_BASE}^maxHops / ${GRAPH_SEARCH_BASE}^maxDepth: ask for smaller pages, fewer hops or fewer fields.`,
            );
            error.extensions.http = { status: 400 };
            throw error;
          }
        },
      };
    },
  };
}

/** graphql-js's parser refuses a document over `maxTokens` with a syntax error: said as the limit it is. */
export function tokenLimitError(message: string, maxTokens: number): string | undefined {
  return /Document contains more that? \d+ tokens/.test(message)
    ? `Query refused: the document has more than ${maxTokens} tokens (MAX_QUERY_TOKENS). Send a shorter query.`
    : undefined;
}
