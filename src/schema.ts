import path from "node:path";
import { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { DataSource } from "typeorm";
import { authChecker, readAuthMiddleware } from "./auth/auth-checker";
import { ApiKeys } from "./auth/api-keys";
import { RegionWrites } from "./regions/region.writes";
import { RegionResolver } from "./regions/region.resolver";
import { OrganizationWrites } from "./organizations/organization.writes";
import { OrganizationResolver, ServiceResolver } from "./organizations/organization.resolver";
import { ReferralWrites } from "./referrals/referral.writes";
import { ReferralResolver } from "./referrals/referral.resolver";
import { PartnershipWrites } from "./partnerships/partnership.writes";
import { PartnershipResolver } from "./partnerships/partnership.resolver";
import { MeetingResolver, PlatformResolver } from "./platforms/platform.resolver";
import { GraphQueries } from "./graph/graph-queries";
import { GraphResolver } from "./graph/graph.resolver";
import { Computations } from "./graph/computations";
import { GraphAnalyses } from "./graph/analyses/graph-analyses";
import { AnalysesResolver } from "./graph/analyses/analyses.resolver";
import { ReadModels } from "./model/read-models";
import { NetworkFilesResolver } from "./files/network-files.resolver";
import { NetworkFiles } from "./files/network-files";
import { Logger } from "./log";
import { ROOT } from "./root";

/** The features of one database: the writes with their rules, the read models, the graph queries and the network files, which every caller (API, CLI, seed, tests) goes through. */
export function createFeatures(db: DataSource, logger?: Logger, options: { graphSearchSteps?: number; graphMetricsRuns?: number } = {}) {
  const regions = new RegionWrites(db);
  const models = new ReadModels(db, logger);
  // Long graph computations (metrics, criticality, communities) share one bound: GRAPH_METRICS_RUNS.
  const computations = new Computations(options.graphMetricsRuns, logger);
  return {
    apiKeys: new ApiKeys(db),
    regions,
    organizations: new OrganizationWrites(db, regions),
    referrals: new ReferralWrites(db),
    partnerships: new PartnershipWrites(db),
    models,
    graph: new GraphQueries(models, computations, options.graphSearchSteps),
    analyses: new GraphAnalyses(models, computations),
    files: new NetworkFiles(db),
  };
}

export type Features = ReturnType<typeof createFeatures>;

/** The checked-in SDL (from src/ or dist/src/ alike, the repository root is found by package.json). */
export const SCHEMA_FILE = path.join(ROOT, "schema", "schema.graphql");

export interface SchemaOptions {
  readRequiresAuth?: boolean;
}

export async function buildGraphQLSchema(features: Features, options: SchemaOptions = {}): Promise<GraphQLSchema> {
  const resolvers = new Map<Function, unknown>([
    [RegionResolver, new RegionResolver(features.regions)],
    [OrganizationResolver, new OrganizationResolver(features.organizations)],
    [ServiceResolver, new ServiceResolver()],
    [ReferralResolver, new ReferralResolver(features.referrals)],
    [PartnershipResolver, new PartnershipResolver(features.partnerships)],
    [PlatformResolver, new PlatformResolver()],
    [MeetingResolver, new MeetingResolver(features.analyses)],
    [GraphResolver, new GraphResolver(features.graph)],
    [AnalysesResolver, new AnalysesResolver(features.analyses)],
    [NetworkFilesResolver, new NetworkFilesResolver(features.files)],
  ]);
  return buildSchema({
    resolvers: [...resolvers.keys()] as [Function, ...Function[]],
    container: { get: (someClass) => resolvers.get(someClass) },
    authChecker,
    globalMiddlewares: options.readRequiresAuth ? [readAuthMiddleware(true)] : [],
    // Inputs are checked by the rules of each feature (every wrong field at once, BAD_USER_INPUT),
    // not by class-validator decorators: none is declared, and type-graphql would still load the
    // library and run it over every input object of every request.
    validate: false,
  });
}
