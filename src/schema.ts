import path from "node:path";
import { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { DataSource } from "typeorm";
import { authChecker, readAuthMiddleware } from "./auth/auth-checker";
import { ApiKeyService } from "./auth/api-key.service";
import { RegionService } from "./regions/region.service";
import { RegionResolver } from "./regions/region.resolver";
import { OrganizationService } from "./organizations/organization.service";
import { OrganizationResolver, ServiceResolver } from "./organizations/organization.resolver";
import { ReferralService } from "./referrals/referral.service";
import { ReferralResolver } from "./referrals/referral.resolver";
import { PartnershipService } from "./partnerships/partnership.service";
import { PartnershipResolver } from "./partnerships/partnership.resolver";
import { MeetingResolver, PlatformResolver } from "./platforms/platform.resolver";
import { GraphService } from "./graph/graph.service";
import { GraphResolver } from "./graph/graph.resolver";
import { ModelService } from "./model/model.service";
import { NetworkResolver } from "./network/network.resolver";
import { NetworkService } from "./network/network.service";
import { Logger } from "./common/log";
import { ROOT } from "./common/root";

/** The feature services of one database: the rules every caller (API, CLI, seed, tests) goes through. */
export function createServices(db: DataSource, logger?: Logger, options: { graphSearchSteps?: number; graphMetricsRuns?: number } = {}) {
  const regions = new RegionService(db);
  const models = new ModelService(db, logger);
  return {
    apiKeys: new ApiKeyService(db),
    regions,
    organizations: new OrganizationService(db, regions),
    referrals: new ReferralService(db),
    partnerships: new PartnershipService(db),
    models,
    graph: new GraphService(models, logger, options.graphSearchSteps, options.graphMetricsRuns),
    network: new NetworkService(db),
  };
}

export type Services = ReturnType<typeof createServices>;

/** The checked-in SDL (from src/ or dist/src/ alike, the repository root is found by package.json). */
export const SCHEMA_FILE = path.join(ROOT, "schema", "schema.graphql");

export interface SchemaOptions {
  readRequiresAuth?: boolean;
}

export async function buildGraphQLSchema(services: Services, options: SchemaOptions = {}): Promise<GraphQLSchema> {
  const resolvers = new Map<Function, unknown>([
    [RegionResolver, new RegionResolver(services.regions)],
    [OrganizationResolver, new OrganizationResolver(services.organizations)],
    [ServiceResolver, new ServiceResolver()],
    [ReferralResolver, new ReferralResolver(services.referrals)],
    [PartnershipResolver, new PartnershipResolver(services.partnerships)],
    [PlatformResolver, new PlatformResolver()],
    [MeetingResolver, new MeetingResolver()],
    [GraphResolver, new GraphResolver(services.graph)],
    [NetworkResolver, new NetworkResolver(services.network)],
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
