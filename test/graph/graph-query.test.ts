import { parse } from "graphql";
import { getComplexity } from "graphql-query-complexity";
import { Arg, buildSchema, Field, Int, ObjectType, Query, Resolver } from "type-graphql";
import { buildGraphQLSchema, createFeatures } from "../../src/schema";
import { asksGraphField, GraphQuery, graphQueryNames } from "../../src/graph/graph-query";
import { WHOLE_GRAPH_COST } from "../../src/graph/graph.resolver";
import { costEstimator, GRAPH_SEARCH_BASE } from "../../src/http/limits";
import { isCacheableOperation } from "../../src/graph/response-cache";
import { HOPS } from "../../src/api/ranges";
import { freshDatabase } from "../helpers/database";

// A graph query is declared on its field; the rate limit, the answer cache and the cost estimator
// read that declaration, so a new one cannot be left out of any of them.

@ObjectType()
class Answer {
  @Field(() => Int)
  value: number;
}

@Resolver()
class NewAnalysisResolver {
  @GraphQuery(() => Answer, { cost: { search: { argument: "maxHops", range: HOPS } } })
  newSearch(@Arg("maxHops", () => Int, { nullable: true }) _maxHops?: number): Answer {
    return { value: 1 };
  }

  @GraphQuery(() => Answer, { cost: { fixed: 500 } })
  newWhole(): Answer {
    return { value: 2 };
  }

  @Query(() => Answer)
  plain(): Answer {
    return { value: 3 };
  }
}

describe("graph queries declared on their fields", () => {
  it("when Passerelle's whole schema is built, then its graph queries are the graph's and the analyses, and Meeting.networkChanges is a graph field", async () => {
    const database = await freshDatabase();
    try {
      const schema = await buildGraphQLSchema(createFeatures(database.db));
      expect([...graphQueryNames(schema)].sort()).toEqual([
        "ageCliffs", "closureImpact", "communities", "coverage", "criticalOrganizations",
        "network", "networkChanges", "networkMetrics", "networkSummary", "pathways", "profileChange", "referralChain",
      ]);
      // A nested graph field is priced as declared and counts as a graph query for the rate limit.
      const meetings = `{ platform(id: "x") { meetings { networkChanges { opened { id } } } } }`;
      expect(asksGraphField(schema, parse(meetings))).toBe(true);
      expect(asksGraphField(schema, parse(`{ platform(id: "x") { meetings { title } } }`))).toBe(false);
      const cost = getComplexity({ schema, query: parse(meetings), variables: {}, estimators: [costEstimator] });
      expect(cost).toBeGreaterThanOrEqual(WHOLE_GRAPH_COST * 10); // ten meetings guessed, each priced as a whole graph
    } finally {
      await database.close();
    }
  });

  it("when a new field is declared with GraphQuery, then it is priced by its declaration, cacheable and counted as a graph query; a plain Query is none of these", async () => {
    // (The service's resolvers are loaded in this file too, some @Authorized: an auth checker is required.)
    const schema = await buildSchema({ resolvers: [NewAnalysisResolver], authChecker: () => true });
    expect([...graphQueryNames(schema)].sort()).toEqual(["newSearch", "newWhole"]);
    const cost = (query: string) => getComplexity({ schema, query: parse(query), variables: {}, estimators: [costEstimator] });
    // 1 for the field, 1 for `value`, plus the declared price.
    expect(cost(`{ newSearch(maxHops: 5) { value } }`)).toBe(2 + GRAPH_SEARCH_BASE ** 5);
    expect(cost(`{ newSearch(maxHops: 50) { value } }`)).toBe(2 + GRAPH_SEARCH_BASE ** HOPS.max); // clamped to the range
    expect(cost(`{ newWhole { value } }`)).toBe(2 + 500);
    expect(cost(`{ plain { value } }`)).toBe(2);
    const operation = (query: string) => parse(query).definitions[0] as any;
    expect(isCacheableOperation(operation(`{ newWhole { value } __typename }`), graphQueryNames(schema))).toBe(true);
    expect(isCacheableOperation(operation(`{ newWhole { value } plain { value } }`), graphQueryNames(schema))).toBe(false);
  });
});
