import { DataSource, EntityManager } from "typeorm";
import { Viewer, actorOf, requireRegionWriter } from "../auth/viewer";
import { ConflictError, Faults, InputError, NotFoundError, VersionConflictError } from "../errors";
import { eligibilityColumns } from "../domain/eligibility";
import { isUuid } from "../domain/text";
import { categorySet, optionalText } from "../domain/validate";
import { ReferralStatus } from "../domain/vocabulary";
import { recordChange, updateAtVersion, writeTransaction } from "../db/write";
import { OrganizationEntity } from "../organizations/organization.entity";
import { lockNamedOrganizations, lockOrganizations } from "../organizations/organization.writes";
import { ReferralEntity } from "./referral.entity";
import { ReferralField, referralTable } from "./referral.table";
import { periodFaults, periodsOverlapSql, selfReferralFault, verifiedOnFault } from "./referral.rules";
import { CreateReferralInput, UpdateReferralInput } from "./referral.inputs";

/** The period's fields as the mutations' input names them. */
const PERIOD_FIELDS = { status: "input.status", until: "input.until" };

export class ReferralWrites {
  constructor(private readonly db: DataSource) {}

  async create(viewer: Viewer | null, input: CreateReferralInput): Promise<ReferralEntity> {
    // Every wrong field at once (docs/api.md); what needs the database (ends, overlap) comes after.
    const faults = new Faults();
    const categories = faults.check(() => categorySet(input.categories, "input.categories"));
    const eligibility = faults.check(() => eligibilityColumns(input.eligibility, "input.eligibility"));
    const description = faults.check(() => optionalText(input.description, "input.description"));
    const source = faults.check(() => optionalText(input.source, "input.source", referralTable.columns.source.max));
    const period = { status: input.status ?? ReferralStatus.ACTIVE, since: input.since ?? null, until: input.until ?? null };
    for (const fault of periodFaults(period, PERIOD_FIELDS)) faults.add(fault.field, fault.reason);
    const self = selfReferralFault(input.from, input.to, "input.to", "input.from");
    if (self) faults.add(self.field, self.reason);
    const verifiedOn = input.verifiedOn ?? null;
    const unverifiable = verifiedOnFault(verifiedOn, "input.verifiedOn");
    if (unverifiable) faults.add(unverifiable.field, unverifiable.reason);
    faults.throwIfAny();
    // Every field the table declares (src/referrals/referral.table.ts): one left out does not compile.
    const values: Pick<ReferralEntity, "categories" | "since" | ReferralField> = { categories: categories!, ...eligibility!, ...period, description: description!, source: source!, verifiedOn };
    return writeTransaction(
      this.db,
      async (tx) => {
        // Both ends found and locked in one statement, in id order: concurrent writes of this channel are serialised (the overlap check holds), without deadlock.
        const [from, to] = await lockNamedOrganizations(tx, [input.from, input.to], ["input.from", "input.to"]);
        if (from.id === to.id) throw new InputError("input.to", "a referral must go to another organization than input.from");
        requireRegionWriter(viewer, [from.regionId, to.regionId], `add referrals between ${from.slug} and ${to.slug}`);
        await this.refuseOverlap(tx, { ...values, fromId: from.id, toId: to.id }, from, to);
        const repository = tx.getRepository(ReferralEntity);
        const referral = await repository.save(repository.create({ ...values, fromId: from.id, toId: to.id }));
        await recordChange(tx, actorOf(viewer), "create", "referral", referral.id, null, referral);
        return referral;
      },
    );
  }

  async update(
    viewer: Viewer | null,
    id: string,
    input: UpdateReferralInput,
    expectedVersion?: number | null,
  ): Promise<ReferralEntity> {
    const faults = new Faults();
    const changes: Partial<ReferralEntity> = {};
    const set = <K extends keyof ReferralEntity>(key: K, check: () => ReferralEntity[K]) => {
      const value = faults.check(check);
      if (value !== undefined) changes[key] = value;
    };
    if (input.categories !== undefined) set("categories", () => categorySet(input.categories, "input.categories"));
    if (input.eligibility !== undefined) Object.assign(changes, faults.check(() => eligibilityColumns(input.eligibility, "input.eligibility")));
    if (input.status !== undefined) {
      if (input.status === null) faults.add("input.status", "cannot be cleared");
      else changes.status = input.status;
    }
    if (input.since !== undefined) changes.since = input.since;
    if (input.until !== undefined) changes.until = input.until;
    if (input.description !== undefined) set("description", () => optionalText(input.description, "input.description"));
    if (input.source !== undefined) set("source", () => optionalText(input.source, "input.source", referralTable.columns.source.max));
    if (input.verifiedOn !== undefined) {
      const unverifiable = verifiedOnFault(input.verifiedOn, "input.verifiedOn");
      if (unverifiable) faults.add(unverifiable.field, unverifiable.reason);
      else changes.verifiedOn = input.verifiedOn;
    }
    return this.change(viewer, id, "change", expectedVersion, changes, faults);
  }

  /** Ends a referral on a day: status ENDED, `until` set; it stays as history. */
  end(viewer: Viewer | null, id: string, until: string): Promise<ReferralEntity> {
    return this.change(viewer, id, "end", null, { status: ReferralStatus.ENDED, until }, new Faults(), { status: "status", until: "until" });
  }

  async delete(viewer: Viewer | null, id: string): Promise<boolean> {
    return writeTransaction(
      this.db,
      async (tx) => {
        const { current } = await this.lockForWrite(tx, viewer, id, "delete");
        await tx.getRepository(ReferralEntity).delete({ id: current.id });
        await recordChange(tx, actorOf(viewer), "delete", "referral", current.id, current, null);
        return true;
      },
    );
  }

  private change(
    viewer: Viewer | null,
    id: string,
    verb: string,
    expectedVersion: number | null | undefined,
    changes: Partial<ReferralEntity>,
    faults: Faults,
    periodFields = PERIOD_FIELDS,
  ): Promise<ReferralEntity> {
    return writeTransaction(
      this.db,
      async (tx) => {
        const { current, from, to } = await this.lockForWrite(tx, viewer, id, verb);
        // The input's faults and the period's as the write would leave it (the stored since, a cleared until), at once.
        const next = { ...current, ...changes };
        for (const fault of periodFaults(next, periodFields)) faults.add(fault.field, fault.reason);
        faults.throwIfAny();
        if (expectedVersion !== null && expectedVersion !== undefined && expectedVersion !== current.version) {
          throw new VersionConflictError("referral", current.id, expectedVersion, current.version);
        }
        await this.refuseOverlap(tx, next, from, to, current.id);
        await updateAtVersion(tx, ReferralEntity, current, changes, "referral", current.id);
        const updated = await tx.getRepository(ReferralEntity).findOneByOrFail({ id: current.id });
        await recordChange(tx, actorOf(viewer), "update", "referral", current.id, current, updated);
        return updated;
      },
    );
  }

  /**
   * Locks both ends (in id order, as createReferral does), then the referral, so that concurrent
   * writes of one channel are serialised, the overlap check holds, and no two writes deadlock.
   */
  private async lockForWrite(tx: EntityManager, viewer: Viewer | null, id: string, verb: string) {
    const found = isUuid(id) ? await tx.getRepository(ReferralEntity).findOneBy({ id }) : null;
    if (!found) throw new NotFoundError("referral", id, "id");
    const ends = await lockOrganizations(tx, [found.fromId, found.toId], ["id", "id"]);
    const from = ends.get(found.fromId)!;
    const to = ends.get(found.toId)!;
    const current = await tx
      .getRepository(ReferralEntity)
      .createQueryBuilder("r")
      .where("r.id = :id", { id })
      .setLock("pessimistic_write")
      .getOne();
    if (!current) throw new NotFoundError("referral", id, "id");
    requireRegionWriter(viewer, [from.regionId, to.regionId], `${verb} referrals between ${from.slug} and ${to.slug}`);
    return { current, from, to };
  }

  /**
   * CONFLICT for a second referral with the same ends and categories whose dates overlap: the
   * SQL form of periodsOverlap (src/referrals/referral.rules.ts), whatever the status.
   */
  private async refuseOverlap(
    tx: EntityManager,
    referral: Pick<ReferralEntity, "fromId" | "toId" | "categories" | "since" | "until">,
    from: OrganizationEntity,
    to: OrganizationEntity,
    exceptId?: string,
  ): Promise<void> {
    const query = tx
      .getRepository(ReferralEntity)
      .createQueryBuilder("r")
      .where("r.from_id = :fromId AND r.to_id = :toId", { fromId: referral.fromId, toId: referral.toId })
      .andWhere("r.categories = CAST(:categories AS text[])", { categories: referral.categories })
      .andWhere(periodsOverlapSql("r", ":since", ":until"), { since: referral.since, until: referral.until });
    if (exceptId) query.andWhere("r.id <> :exceptId", { exceptId });
    const clash = await query.getOne();
    if (clash) {
      throw new ConflictError(
        `A referral from ${from.slug} to ${to.slug} for ${referral.categories.join(", ")} already runs over these dates (id ${clash.id}${clash.since || clash.until ? `, ${clash.since ?? "…"} to ${clash.until ?? "…"}` : ""}). Update it, or end it with endReferral before adding a new one.`,
        { existingId: clash.id },
      );
    }
  }
}
