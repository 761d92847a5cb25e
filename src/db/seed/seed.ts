import { DataSource, EntityManager } from "typeorm";
import correze from "./correze.json";
import { eligibilityColumns, EligibilityInput } from "../../common/eligibility";
import { foldForSearch } from "../../common/text";
import { recordChange, writeTransaction } from "../../common/write";
import {
  MeetingFormat,
  OrganizationKind,
  PartnershipKind,
  ReferralStatus,
  ServiceCategory,
} from "../../common/vocabulary";
import { Actor } from "../../auth/viewer";
import { RegionEntity } from "../../regions/region.entity";
import { OrganizationEntity, ServiceEntity } from "../../organizations/organization.entity";
import { ReferralEntity } from "../../referrals/referral.entity";
import { PartnershipEntity, PartnershipMemberEntity } from "../../partnerships/partnership.entity";
import {
  MeetingEntity,
  MeetingParticipantEntity,
  PlatformEntity,
  PlatformMemberEntity,
} from "../../platforms/platform.entity";

/** The shape of a seed file such as correze.json: records name each other by slug. */
export interface SeedData {
  regions: { slug: string; name: string; country: string; nutsCode?: string | null }[];
  organizations: {
    slug: string;
    name: string;
    kind: OrganizationKind;
    region: string | null;
    description?: string | null;
    website?: string | null;
    services?: { name: string; category: ServiceCategory; description?: string | null; eligibility?: EligibilityInput | null }[];
  }[];
  referrals: {
    from: string;
    to: string;
    categories: ServiceCategory[];
    eligibility?: EligibilityInput | null;
    status?: ReferralStatus;
    since?: string | null;
    until?: string | null;
    description?: string | null;
    source?: string | null;
  }[];
  partnerships: { kind: PartnershipKind; organizations: string[]; description?: string | null }[];
  platforms: {
    slug: string;
    name: string;
    region: string;
    coordinator: string | null;
    description?: string | null;
    members: string[];
    meetings?: {
      date: string;
      title: string;
      format: MeetingFormat | null;
      participantCount?: number | null;
      organizers?: string[];
      presenters?: string[];
      topics?: string[];
      notes?: string | null;
    }[];
  }[];
}

/** The Corrèze network of the founding article and the rest of the Share SIRA network. */
export const CORREZE: SeedData = correze as unknown as SeedData;

const SEED_ACTOR: Actor = { apiKeyId: null, name: "seed" };

function lookup(ids: Map<string, string>, slug: string, where: string): string {
  const id = ids.get(slug);
  if (!id) throw new Error(`seed: ${where} names "${slug}", which the seed does not define`);
  return id;
}

/** Writes a seed in one transaction (all or nothing), with an audit line per record. */
export async function applySeed(db: DataSource, data: SeedData): Promise<void> {
  await writeTransaction(
    db,
    async (tx: EntityManager) => {
      const regionIds = new Map<string, string>();
      for (const region of data.regions) {
        const saved = await tx.getRepository(RegionEntity).save(
          tx.getRepository(RegionEntity).create({ ...region, nutsCode: region.nutsCode ?? null }),
        );
        regionIds.set(region.slug, saved.id);
        await recordChange(tx, SEED_ACTOR, "create", "region", saved.id, null, saved);
      }
      const organizationIds = new Map<string, string>();
      for (const o of data.organizations) {
        const saved = await tx.getRepository(OrganizationEntity).save(
          tx.getRepository(OrganizationEntity).create({
            slug: o.slug,
            name: o.name,
            searchName: foldForSearch(o.name),
            kind: o.kind,
            description: o.description ?? null,
            website: o.website ?? null,
            regionId: o.region ? lookup(regionIds, o.region, `organization ${o.slug}`) : null,
          }),
        );
        organizationIds.set(o.slug, saved.id);
        const services = await tx.getRepository(ServiceEntity).save(
          (o.services ?? []).map((s, position) =>
            tx.getRepository(ServiceEntity).create({
              organizationId: saved.id,
              name: s.name,
              category: s.category,
              description: s.description ?? null,
              ...eligibilityColumns(s.eligibility, `seed ${o.slug} services[${position}].eligibility`),
              position,
            }),
          ),
        );
        await recordChange(tx, SEED_ACTOR, "create", "organization", saved.id, null, { ...saved, services });
      }
      const org = (slug: string, where: string) => lookup(organizationIds, slug, where);
      for (const r of data.referrals) {
        const saved = await tx.getRepository(ReferralEntity).save(
          tx.getRepository(ReferralEntity).create({
            fromId: org(r.from, "a referral"),
            toId: org(r.to, "a referral"),
            categories: [...new Set(r.categories)].sort(),
            ...eligibilityColumns(r.eligibility, `seed referral ${r.from} -> ${r.to}`),
            status: r.status ?? ReferralStatus.ACTIVE,
            since: r.since ?? null,
            until: r.until ?? null,
            description: r.description ?? null,
            source: r.source ?? null,
          }),
        );
        await recordChange(tx, SEED_ACTOR, "create", "referral", saved.id, null, saved);
      }
      for (const p of data.partnerships) {
        const saved = await tx.getRepository(PartnershipEntity).save(
          tx.getRepository(PartnershipEntity).create({ kind: p.kind, description: p.description ?? null }),
        );
        const members = p.organizations.map((slug) => org(slug, "a partnership"));
        await tx.getRepository(PartnershipMemberEntity).insert(members.map((organizationId) => ({ partnershipId: saved.id, organizationId })));
        await recordChange(tx, SEED_ACTOR, "create", "partnership", saved.id, null, { ...saved, organizations: members });
      }
      for (const p of data.platforms) {
        const saved = await tx.getRepository(PlatformEntity).save(
          tx.getRepository(PlatformEntity).create({
            slug: p.slug,
            name: p.name,
            regionId: lookup(regionIds, p.region, `platform ${p.slug}`),
            coordinatorId: p.coordinator ? org(p.coordinator, `platform ${p.slug}`) : null,
            description: p.description ?? null,
          }),
        );
        await tx
          .getRepository(PlatformMemberEntity)
          .insert(p.members.map((slug) => ({ platformId: saved.id, organizationId: org(slug, `platform ${p.slug}`) })));
        for (const m of p.meetings ?? []) {
          const meeting = await tx.getRepository(MeetingEntity).save(
            tx.getRepository(MeetingEntity).create({
              platformId: saved.id,
              date: m.date,
              title: m.title,
              format: m.format,
              participantCount: m.participantCount ?? null,
              topics: m.topics ?? [],
              notes: m.notes ?? null,
            }),
          );
          const participants = [
            ...(m.organizers ?? []).map((slug) => ({ slug, role: "ORGANIZER" as const })),
            ...(m.presenters ?? []).map((slug) => ({ slug, role: "PRESENTER" as const })),
          ];
          if (participants.length) {
            await tx.getRepository(MeetingParticipantEntity).insert(
              participants.map(({ slug, role }) => ({ meetingId: meeting.id, organizationId: org(slug, `meeting ${m.title}`), role })),
            );
          }
        }
        await recordChange(tx, SEED_ACTOR, "create", "platform", saved.id, null, { ...saved, members: p.members });
      }
    },
  );
}

/** Seeds the Corrèze network when the database holds no region and no organization yet. */
export async function seedIfEmpty(db: DataSource, data: SeedData = CORREZE): Promise<boolean> {
  const rows: { n: number }[] = await db.query(
    `SELECT ((SELECT count(*) FROM regions) + (SELECT count(*) FROM organizations))::int AS n`,
  );
  if (rows[0].n > 0) return false;
  await applySeed(db, data);
  return true;
}
