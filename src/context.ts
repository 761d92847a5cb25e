import { DataSource } from "typeorm";
import { Viewer } from "./auth/viewer";
import { organizationLoaders } from "./organizations/organization.loader";
import { referralLoaders } from "./referrals/referral.loader";
import { partnershipLoaders } from "./partnerships/partnership.loader";
import { regionLoaders } from "./regions/region.loader";
import { platformLoaders } from "./platforms/platform.loader";
import { OrganizationEntity } from "./organizations/organization.entity";

/** A fresh set per request: batches the nested lists of one request, caches nothing across requests. */
export function createLoaders(db: DataSource) {
  return {
    ...organizationLoaders(db),
    ...referralLoaders(db),
    ...partnershipLoaders(db),
    ...regionLoaders(db),
    ...platformLoaders(db),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** What every resolver gets for one request. */
export interface Context {
  requestId: string;
  viewer: Viewer | null;
  /** The client's address (TCP peer) when the request came over HTTP: rate limits are kept by it. */
  address?: string;
  loaders: Loaders;
  /**
   * For the graph answer cache (src/graph/response-cache.ts): whether this request's answer may be
   * kept, the snapshot versions its graph fields were computed at, and the days those asked
   * without asOf took as today.
   */
  graph: { cacheable: boolean; versions: number[]; days: string[] };
}

/**
 * Organizations by id through the request's loader, skipping any gone meanwhile: in the given
 * order, or by name with `byName`.
 */
export async function loadOrganizations(ctx: Context, ids: string[], byName = false): Promise<OrganizationEntity[]> {
  const found = (await ctx.loaders.organizationById.loadMany(ids)).filter(
    (o): o is OrganizationEntity => o !== null && !(o instanceof Error),
  );
  return byName ? found.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)) : found;
}
