import { DataSource, EntityManager } from "typeorm";
import { InputError, NotFoundError, UnavailableError } from "../common/errors";
import { checkProfile, ProfileInput } from "../common/eligibility";
import { graphVersion, MAX_TOUCHED } from "../common/write";
import { ReferralDirection, ServiceCategory } from "../common/vocabulary";
import { OrganizationEntity } from "../organizations/organization.entity";
import { ReferralEntity } from "../referrals/referral.entity";
import { PartnershipEntity } from "../partnerships/partnership.entity";
import { buildSnapshot, GraphSnapshot, SnapshotSource } from "./snapshot";
import { walkRule, WalkRule } from "./walk";
import { FoundPathway, findPathways, SearchTooLarge } from "./pathways";
import { referralChain } from "./chain";
import { FoundNetwork, networkMetricsInSlices, networkOf, OrganizationMetricsRow } from "./metrics";
import { createLogger, Logger } from "../common/log";
import { DEPTH, HOPS, inRange, PATHWAY_LIMIT } from "../common/ranges";

type Columns = Record<string, unknown[]>;

/**
 * About 70 ms of search on one core. A hub with a 30-member clique behind it (every walk a dead end
 * once the hub is on the path) takes 14 s unbounded at maxHops 8; the bench network's worst
 * pathways query (maxHops 8, limit 100) looks at far fewer and takes 10 ms.
 */
export const DEFAULT_SEARCH_STEPS = 2_000_000;

/** Table blocks (8 kB) per statement when reading a table's columns: bounds the database's and the parser's peak memory. */
const BLOCKS_PER_READ = 100;

/**
 * Reads a table as objects, `make(page, i)` building one from row i of a page of columns: one
 * JSON array per column, parsed natively, a range of the table's blocks per statement (a TID range
 * scan: no sort, no index). At 100,000 referrals this is 2-3x faster than row-by-row results or
 * id-ordered pages on PGlite, and small pages keep the parse's garbage, hence the resident memory,
 * low (bench/). All the aggregates of one SELECT walk the same rows in the same order, so index i
 * of every column is one row. Every row visible to the transaction's snapshot lies below the
 * table size read inside it.
 */
async function readRows<T>(
  tx: EntityManager,
  table: string,
  columns: Record<string, string>,
  make: (page: Columns, i: number) => T,
  only?: { column: string; ids: string[] },
): Promise<T[]> {
  const names = Object.keys(columns);
  const select = names.map((name) => `coalesce(json_agg(${columns[name]}), '[]')::text AS "${name}"`).join(", ");
  const rows: T[] = [];
  const read = async (where: string, params: unknown[] = []) => {
    const [row]: Record<string, string>[] = await tx.query(`SELECT ${select} FROM ${table} WHERE ${where}`, params);
    const page: Columns = Object.fromEntries(names.map((name) => [name, JSON.parse(row[name]) as unknown[]]));
    const count = page[names[0]].length;
    for (let i = 0; i < count; i++) rows.push(make(page, i));
  };
  if (only) {
    // A few changed rows, by their index.
    if (only.ids.length) await read(`${only.column} = ANY($1::uuid[])`, [only.ids]);
    return rows;
  }
  const [{ blocks }]: { blocks: number }[] = await tx.query(
    `SELECT (pg_relation_size('${table}') / current_setting('block_size')::int)::int AS blocks`,
  );
  for (let block = 0; block === 0 || block < blocks; block += BLOCKS_PER_READ) {
    const last = block + BLOCKS_PER_READ >= blocks;
    await read(`ctid >= '(${block},0)'::tid` + (last ? "" : ` AND ctid < '(${block + BLOCKS_PER_READ},0)'::tid`));
  }
  return rows;
}

const toDate = (value: unknown) => new Date(value as string);

/**
 * One shared copy of each repeated value: the ends of 100,000 referrals are 20,000 ids, their
 * statuses and lists a handful of values. Saves about a third of the snapshot's heap (bench/).
 * The snapshot's records are read-only, so sharing them is safe.
 */
function interner() {
  const seen = new Map<string, unknown>();
  return <T>(value: T): T => {
    if (value === null || value === undefined) return value;
    // Lists are of vocabulary words (no commas); "[" keeps a list's key apart from a string's.
    const key = typeof value === "string" ? value : `[${(value as unknown[]).join(",")}`;
    const known = seen.get(key);
    if (known !== undefined) return known as T;
    seen.set(key, typeof value === "object" ? Object.freeze(value) : value);
    return value;
  };
}

/** Ids of the snapshot's entities a run of writes touched. */
interface Touched {
  organizations: string[];
  referrals: string[];
  partnerships: string[];
}


/**
 * What the writes after `since` up to `version` touched, from graph_changes; undefined when the
 * snapshot must read everything again: a write that named nothing, versions pruned or written
 * without a record (raw SQL), or too many changes.
 */
async function changesSince(tx: EntityManager, since: number, version: number): Promise<Touched | undefined> {
  if (version - since > MAX_TOUCHED) return undefined;
  const rows: { version: string; entity_type: string; entity_id: string | null }[] = await tx.query(
    `SELECT version, entity_type, entity_id FROM graph_changes WHERE version > $1 AND version <= $2 LIMIT ${MAX_TOUCHED + 1}`,
    [since, version],
  );
  if (rows.length > MAX_TOUCHED) return undefined;
  if (new Set(rows.map((r) => r.version)).size !== version - since) return undefined;
  const sets: Record<string, Set<string>> = { organization: new Set(), referral: new Set(), partnership: new Set() };
  for (const row of rows) {
    if (row.entity_type === "*") return undefined;
    sets[row.entity_type]?.add(row.entity_id!); // regions are read whole every time; platforms are not in the graph
  }
  return { organizations: [...sets.organization], referrals: [...sets.referral], partnerships: [...sets.partnership] };
}

/** The snapshot's rows: all of them, or only those of `only`. Regions always all (a few dozen). */
async function readGraphRows(tx: EntityManager, only?: Touched): Promise<Omit<SnapshotSource, "version">> {
  const shared = interner();
  const by = (column: string, ids: string[] | undefined) => (ids ? { column, ids } : undefined);
  // Column arrays, not hydrated entities nor rows: hydration is many times slower at this size (PITFALLS).
  const organizations = await readRows(tx, "organizations", {
    id: "id", slug: "slug", name: "name", searchName: "search_name", kind: "kind", description: "description",
    website: "website", regionId: "region_id", version: "version", createdAt: "created_at", updatedAt: "updated_at",
  }, (o, i): OrganizationEntity => ({
    id: o.id[i] as string,
    slug: o.slug[i] as string,
    name: o.name[i] as string,
    searchName: o.searchName[i] as string,
    kind: shared(o.kind[i]) as OrganizationEntity["kind"],
    description: o.description[i] as string | null,
    website: o.website[i] as string | null,
    regionId: shared(o.regionId[i]) as string | null,
    version: o.version[i] as number,
    createdAt: toDate(o.createdAt[i]),
    updatedAt: toDate(o.updatedAt[i]),
  }), by("id", only?.organizations));
  const services = await readRows(tx, "services", {
    organizationId: "organization_id", category: "category", targetGroups: "target_groups", minAge: "min_age", maxAge: "max_age",
  }, (s, i) => ({
    organizationId: shared(s.organizationId[i]) as string,
    category: shared(s.category[i]) as ServiceCategory,
    targetGroups: shared(s.targetGroups[i]) as string[],
    minAge: s.minAge[i] as number | null,
    maxAge: s.maxAge[i] as number | null,
  }), by("organization_id", only?.organizations));
  const referrals = await readRows(tx, "referrals", {
    id: "id", fromId: "from_id", toId: "to_id", categories: "categories", targetGroups: "target_groups", minAge: "min_age",
    maxAge: "max_age", status: "status", since: "since", until: "until", description: "description", source: "source",
    version: "version", createdAt: "created_at", updatedAt: "updated_at",
  }, (r, i): ReferralEntity => ({
    id: r.id[i] as string,
    fromId: shared(r.fromId[i]) as string,
    toId: shared(r.toId[i]) as string,
    categories: shared(r.categories[i]) as ServiceCategory[],
    targetGroups: shared(r.targetGroups[i]) as ReferralEntity["targetGroups"],
    minAge: r.minAge[i] as number | null,
    maxAge: r.maxAge[i] as number | null,
    status: shared(r.status[i]) as ReferralEntity["status"],
    since: shared(r.since[i]) as string | null,
    until: shared(r.until[i]) as string | null,
    description: r.description[i] as string | null,
    source: r.source[i] as string | null,
    version: r.version[i] as number,
    createdAt: toDate(r.createdAt[i]),
    updatedAt: toDate(r.updatedAt[i]),
  }), by("id", only?.referrals));
  const partnerships =
    only && only.partnerships.length === 0
      ? []
      : (
          await tx.query(
            `SELECT p.id, p.kind, p.description, p.created_at, coalesce(array_agg(m.organization_id::text) FILTER (WHERE m.organization_id IS NOT NULL), '{}') AS members
               FROM partnerships p LEFT JOIN partnership_members m ON m.partnership_id = p.id
              ${only ? "WHERE p.id = ANY($1::uuid[])" : ""} GROUP BY p.id`,
            only ? [only.partnerships] : [],
          )
        ).map((p: Record<string, any>) => ({
          id: p.id,
          kind: p.kind,
          description: p.description,
          createdAt: p.created_at,
          memberIds: p.members,
        }));
  const regions: { id: string; slug: string }[] = await tx.query(`SELECT id, slug FROM regions`);
  return { organizations, services, referrals, partnerships, regions };
}

/** `old` without the items whose key is in `keys`, then `fresh`. */
function replaced<T>(old: T[], key: (item: T) => string, keys: string[], fresh: T[]): T[] {
  if (keys.length === 0) return old;
  const gone = new Set(keys);
  return [...old.filter((item) => !gone.has(key(item))), ...fresh];
}

/**
 * Reads what the snapshot holds, in one REPEATABLE READ transaction (one consistent state). With
 * the previous source, only the rows the writes since its version touched are read (graph_changes),
 * and put in place of the old ones: a write costs a few indexed reads instead of every table.
 */
export async function loadSnapshotSource(db: DataSource, previous?: SnapshotSource): Promise<{ source: SnapshotSource; reread: number | "all" }> {
  return db.transaction("REPEATABLE READ", async (tx) => {
    const version = await graphVersion(tx);
    if (previous && previous.version === version) return { source: previous, reread: 0 };
    const touched = previous && (await changesSince(tx, previous.version, version));
    if (!previous || !touched) return { source: { version, ...(await readGraphRows(tx)) }, reread: "all" };
    const fresh = await readGraphRows(tx, touched);
    const source: SnapshotSource = {
      version,
      organizations: replaced(previous.organizations, (o) => o.id, touched.organizations, fresh.organizations),
      services: replaced(previous.services, (s) => s.organizationId, touched.organizations, fresh.services),
      referrals: replaced(previous.referrals, (r) => r.id, touched.referrals, fresh.referrals),
      partnerships: replaced(previous.partnerships, (p) => p.id, touched.partnerships, fresh.partnerships),
      regions: fresh.regions,
    };
    return { source, reread: touched.organizations.length + touched.referrals.length + touched.partnerships.length };
  });
}

export interface PathwaysRequest {
  from: string;
  to?: string | null;
  toCategory?: ServiceCategory | null;
  profile?: ProfileInput | null;
  maxHops?: number | null;
  limit?: number | null;
  asOf?: string | null;
}

export interface ChainRequest {
  organization: string;
  direction?: ReferralDirection | null;
  maxDepth?: number | null;
  profile?: ProfileInput | null;
  asOf?: string | null;
}

export interface NetworkRequest {
  region?: string | null;
  profile?: ProfileInput | null;
  asOf?: string | null;
}

const METRICS_CACHE_SIZE = 64;

/**
 * Answers graph questions from the in-memory snapshot. Each question first reads the stored
 * graph version (one tiny query) and rebuilds the snapshot when it moved, so a write through
 * any instance sharing the database is seen by the next question. The rebuild re-reads only the
 * rows the writes touched (loadSnapshotSource), then rebuilds the indexes from memory.
 */
export class GraphService {
  private snapshot: GraphSnapshot | undefined;
  /** The rows the snapshot was built from, kept to be patched by the next rebuild. */
  private source: SnapshotSource | undefined;
  private building: Promise<GraphSnapshot> | undefined;
  /** networkMetrics answers of the current snapshot, by question; promises, so concurrent askers share one computation. */
  private metrics = new Map<string, Promise<OrganizationMetricsRow[]>>();

  constructor(
    private readonly db: DataSource,
    private readonly logger: Logger = createLogger("silent"),
    /** Most referrals one pathway search may look at (GRAPH_SEARCH_STEPS). */
    private readonly maxSearchSteps = DEFAULT_SEARCH_STEPS,
    /** networkMetrics computations running at once (GRAPH_METRICS_RUNS); as many again may wait. */
    private readonly metricsRuns = 2,
  ) {}

  /** Metrics computations running now, and the starts of those waiting for one to end. */
  private metricsRunning = 0;
  private readonly metricsWaiting: (() => void)[] = [];

  /**
   * A turn to compute metrics. Whole-network betweenness at Europe scale is half a minute of CPU,
   * and each profile, region and day is a computation of its own: without a bound, a client asking
   * for many of them at once would keep the process busy for hours.
   */
  private async metricsTurn(): Promise<void> {
    if (this.metricsRunning < this.metricsRuns) {
      this.metricsRunning++;
      return;
    }
    if (this.metricsWaiting.length >= this.metricsRuns) {
      throw new UnavailableError(
        `${this.metricsRunning} network metrics computations are running and ${this.metricsWaiting.length} waiting (GRAPH_METRICS_RUNS): ` +
          "try again in a minute, ask for one region, or ask again for figures already computed (they are kept until the next write).",
        30,
      );
    }
    await new Promise<void>((resolve) => this.metricsWaiting.push(resolve)); // the ending run hands its turn over
  }

  private metricsTurnEnded(): void {
    const next = this.metricsWaiting.shift();
    if (next) next();
    else this.metricsRunning--;
  }

  async current(): Promise<GraphSnapshot> {
    const version = await graphVersion(this.db);
    if (this.snapshot && this.snapshot.version >= version) return this.snapshot;
    if (!this.building) {
      const started = performance.now();
      this.building = loadSnapshotSource(this.db, this.source)
        .then(({ source, reread }) => {
          const loaded = performance.now();
          const snapshot = buildSnapshot(source);
          this.logger.info("graph snapshot built", {
            version: snapshot.version,
            organizations: snapshot.organizations.length,
            referrals: snapshot.referrals.length,
            reread,
            loadMs: Math.round(loaded - started),
            buildMs: Math.round(performance.now() - loaded),
          });
          if (!this.snapshot || snapshot.version > this.snapshot.version) {
            this.snapshot = snapshot;
            this.source = source;
            this.metrics.clear();
          }
          return snapshot;
        })
        .finally(() => (this.building = undefined));
    }
    const built = await this.building;
    // A build that started before this version was written is too old: build again.
    return built.version >= version ? built : this.current();
  }

  private organizationNumber(s: GraphSnapshot, ref: string, field: string): number {
    const n = s.organizationNumber.get(ref) ?? s.slugNumber.get(ref);
    if (n === undefined) throw new NotFoundError("organization with id or slug", ref, field);
    return n;
  }

  private rule(profile: ProfileInput | null | undefined, asOf: string | null | undefined): WalkRule {
    return walkRule({ profile: checkProfile(profile), asOf });
  }

  private regionId(s: GraphSnapshot, region: string | null | undefined): string | undefined {
    if (region === null || region === undefined) return undefined;
    const id = s.regionIdBySlug.get(region);
    if (!id) throw new NotFoundError("region", region, "region");
    return id;
  }

  async pathways(request: PathwaysRequest) {
    const maxHops = inRange(request.maxHops, HOPS, "maxHops");
    const limit = inRange(request.limit, PATHWAY_LIMIT, "limit");
    const hasTo = request.to !== null && request.to !== undefined;
    const hasCategory = request.toCategory !== null && request.toCategory !== undefined;
    if (hasTo === hasCategory) throw new InputError(hasTo ? "toCategory" : "to", "give exactly one of to and toCategory");
    const rule = this.rule(request.profile, request.asOf);
    const s = await this.current();
    const from = this.organizationNumber(s, request.from, "from");
    const to = hasTo ? this.organizationNumber(s, request.to!, "to") : undefined;
    let found: FoundPathway[];
    try {
      found = findPathways(s, { from, to, toCategory: request.toCategory ?? undefined, rule, maxHops, limit, maxSteps: this.maxSearchSteps });
    } catch (error) {
      if (!(error instanceof SearchTooLarge)) throw error;
      throw new InputError(
        "maxHops",
        `this search is too large for the network's shape (it looked at over ${error.maxSteps} referrals, GRAPH_SEARCH_STEPS): ` +
          `lower maxHops, give a profile, or ask for a destination rather than a category`,
      );
    }
    return {
      snapshot: s,
      day: rule.day,
      pathways: found.map((p) => ({
        hops: p.referrals.length,
        organizations: p.organizations.map((o) => s.organizations[o]),
        referrals: p.referrals.map((r) => s.referrals[r]),
      })),
    };
  }

  async referralChain(request: ChainRequest) {
    const maxDepth = inRange(request.maxDepth, DEPTH, "maxDepth");
    const rule = this.rule(request.profile, request.asOf);
    const s = await this.current();
    const start = this.organizationNumber(s, request.organization, "organization");
    const chain = referralChain(s, { start, upstream: request.direction === ReferralDirection.UPSTREAM, maxDepth, rule });
    return {
      snapshot: s,
      day: rule.day,
      chain: {
        entries: chain.entries.map((e) => ({ organization: s.organizations[e.organization], depth: e.depth })),
        referrals: chain.referrals.map((r) => s.referrals[r]),
      },
    };
  }

  private async networkFound(request: NetworkRequest): Promise<{ s: GraphSnapshot; found: FoundNetwork; rule: WalkRule; regionId?: string }> {
    const rule = this.rule(request.profile, request.asOf);
    const s = await this.current();
    const regionId = this.regionId(s, request.region);
    return { s, found: networkOf(s, { regionId, rule }), rule, regionId };
  }

  async network(request: NetworkRequest) {
    const { s, found, rule } = await this.networkFound(request);
    return {
      snapshot: s,
      day: rule.day,
      network: {
        organizations: found.organizations.map((o) => s.organizations[o]),
        referrals: found.referrals.map((r) => s.referrals[r]),
        partnerships: found.partnerships.map((p) => s.partnerships[p] as PartnershipEntity),
      },
    };
  }

  async networkMetrics(request: NetworkRequest) {
    const { s, found, rule, regionId } = await this.networkFound(request);
    // By the day walked on (asOf or today), so yesterday's figures are not served today.
    const key = `${s.version}|${regionId ?? "*"}|${rule.groupBit}|${rule.age}|${rule.day}`;
    let rows = this.metrics.get(key);
    if (!rows) {
      const started = performance.now();
      rows = this.metricsTurn()
        .then(() => networkMetricsInSlices(s, found).finally(() => this.metricsTurnEnded()))
        .then((computed) => {
          const ms = Math.round(performance.now() - started);
          this.logger.info("network metrics computed", { version: s.version, region: request.region ?? null, organizations: computed.length, ms });
          return computed;
        });
      if (this.metrics.size >= METRICS_CACHE_SIZE) this.metrics.delete(this.metrics.keys().next().value!);
      this.metrics.set(key, rows);
      rows.catch(() => this.metrics.delete(key));
    }
    return {
      snapshot: s,
      day: rule.day,
      metrics: (await rows).map((m) => ({ ...m, organization: s.organizations[m.organization] })),
    };
  }
}
