// The referrals section: each record matched to a stored referral by its identity (ends,
// categories, since), merged, checked against the period and overlap rules, written in bulk.
import { randomUUID } from "node:crypto";
import { eligibilityColumns } from "../../domain/eligibility";
import { Faults } from "../../errors";
import { categorySet, enumValue } from "../../domain/validate";
import { ServiceCategory } from "../../domain/vocabulary";
import { Change, recordChanges } from "../../db/write";
import { periodFaults, periodsOverlap, untilBeforeSince, verifiedOnFault } from "../../referrals/referral.rules";
import { columnValue, day, eligibilityFields, gives, list, onlyFields, same } from "./checks";
import type { Import } from "./index";
import { At } from "./reading";
import { channel, identity, inSlices, ReferralRow, StoredReferral } from "./rows";
import { bulkInsert, bulkUpdate, fileName, filePath, selectList } from "../../db/table";
import { NEW_REFERRAL, REFERRAL_FIELDS, REFERRAL_WRITTEN, ReferralFields, referralTable } from "../../referrals/referral.table";

const INSERT = bulkInsert(referralTable, REFERRAL_WRITTEN);
const UPDATE = bulkUpdate(referralTable, REFERRAL_FIELDS, "version = r.version + 1, updated_at = now()");

/** A referral's fields under their names in a file (eligibility.minAge), as a change reports them. */
const asFileFields = (fields: ReferralFields): Record<string, unknown> =>
  Object.fromEntries(REFERRAL_FIELDS.map((key) => [filePath(referralTable.columns[key], key), fields[key]]));
/** The fields a file nests in eligibility (checked together by eligibilityColumns). */
const ELIGIBILITY = REFERRAL_FIELDS.filter((key) => referralTable.columns[key].group === "eligibility");

export async function referrals(this: Import): Promise<void> {
  for await (const batch of this.sections("referrals")) {
    const known = await this.known(batch.flatMap(({ value }) => [value.from, value.to]));
    const checked: { at: At; input: any; record: Pick<ReferralRow, "fromId" | "toId" | "categories" | "since">; given: Partial<ReferralFields> }[] = [];
    for (const { at, value: input } of batch) {
      if (!this.touches([input.from, input.to], known)) {
        this.report.skipped.referrals++;
        continue;
      }
      const record = this.reading.check(at, () => {
        const faults = new Faults();
        faults.check(() => onlyFields(input, "referrals"));
        faults.check(() => eligibilityFields(input.eligibility, "referrals.eligibility", "eligibility."));
        const fromId = faults.check(() => this.organizationId(known, input.from, "from"));
        const toId = faults.check(() => this.organizationId(known, input.to, "to"));
        if (fromId !== undefined && fromId === toId) faults.add("to", "a referral must go to another organization than from");
        const categories = faults.check(() => categorySet(list(input.categories, "categories").map((c, k) => enumValue(ServiceCategory, c, `categories[${k}]`)), "categories"));
        const since = faults.check(() => day(input.since, "since"));
        // What the record gives; the rest is kept from the stored referral it matches (below).
        const given: Partial<ReferralFields> = {};
        if (gives(input, "eligibility")) {
          const eligibility = input.eligibility;
          const columns = faults.check(() => eligibilityColumns(eligibility, "eligibility"));
          if (columns && eligibility === null) Object.assign(given, columns);
          else if (columns) for (const key of ELIGIBILITY) if (gives(eligibility, key)) (given as Record<string, unknown>)[key] = columns[key as keyof typeof columns];
        }
        // The other fields as the declaration checks them (an explicit null status is the initial one).
        for (const key of REFERRAL_FIELDS) {
          const c = referralTable.columns[key];
          const name = fileName(c, key);
          if (!c.group && gives(input, name)) (given as Record<string, unknown>)[key] = faults.check(() => columnValue(c, input[name], name));
        }
        // Told now with the record's other faults; the rules on the merged referral follow below.
        const order = since !== undefined && given.until !== undefined ? untilBeforeSince({ since, until: given.until }) : undefined;
        if (order) faults.add(order.field, order.reason);
        const unverifiable = given.verifiedOn === undefined ? undefined : verifiedOnFault(given.verifiedOn);
        if (unverifiable) faults.add(unverifiable.field, unverifiable.reason);
        faults.throwIfAny();
        return { record: { fromId: fromId!, toId: toId!, categories: categories!, since: since! }, given };
      });
      if (record) checked.push({ at, input, ...record });
    }

    // The referrals already between the same organizations: stored, or written by earlier batches.
    // Several may share an identity (periods apart): each record of the file takes one of them, the
    // one its fields leave as it is first, and only once (import_claimed).
    const pairs = [...new Set(checked.map(({ record }) => `${record.fromId}|${record.toId}`))].map((pair) => pair.split("|"));
    const rows: Record<string, any>[] = pairs.length
      ? await this.tx.query(
          `SELECT ${selectList(referralTable, REFERRAL_WRITTEN, "r")}, c.id IS NOT NULL AS claimed
             FROM referrals r JOIN unnest($1::uuid[], $2::uuid[]) AS p(from_id, to_id) ON r.from_id = p.from_id AND r.to_id = p.to_id
             LEFT JOIN import_claimed c ON c.id = r.id`,
          [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
        )
      : [];
    const byIdentity = new Map<string, StoredReferral[]>();
    const byChannel = new Map<string, StoredReferral[]>();
    const claimed = new Set<string>(rows.filter((r) => r.claimed).map((r) => r.id));
    const newlyClaimed: string[] = [];
    const keep = (r: StoredReferral) => {
      byIdentity.set(identity(r), [...(byIdentity.get(identity(r)) ?? []).filter((s) => s.id !== r.id), r]);
      byChannel.set(channel(r), [...(byChannel.get(channel(r)) ?? []).filter((s) => s.id !== r.id), r]);
    };
    for (const r of rows) {
      keep({
        id: r.id, fromId: r.fromId, toId: r.toId, categories: r.categories, since: r.since, until: r.until, status: r.status,
        fields: Object.fromEntries(REFERRAL_FIELDS.map((key) => [key, r[key]])) as ReferralFields,
      });
    }

    const inserts: ReferralRow[] = [];
    const updates: ReferralRow[] = [];
    const changes: Change[] = [];
    for (const { at, input, record, given } of checked) {
      const merged = (s: StoredReferral | undefined): ReferralFields => ({ ...(s?.fields ?? NEW_REFERRAL), ...given });
      const candidates = (byIdentity.get(identity(record)) ?? []).filter((s) => !claimed.has(s.id));
      const stored = candidates.find((s) => same(s.fields, merged(s))) ?? candidates[0];
      const fields = merged(stored);
      // The rules on what the referral will be, file and stored values together (ENDED needs until).
      const valid = this.reading.check(at, () => {
        const faults = new Faults();
        faults.check(() => eligibilityColumns({ minAge: fields.minAge, maxAge: fields.maxAge }, "eligibility"));
        for (const fault of periodFaults({ status: fields.status, since: record.since, until: fields.until })) faults.add(fault.field, fault.reason);
        faults.throwIfAny();
        return true;
      });
      if (!valid) continue;
      if (stored) {
        claimed.add(stored.id);
        newlyClaimed.push(stored.id);
      }
      if (stored && same(stored.fields, fields)) {
        this.report.unchanged.referrals++;
        continue;
      }
      const ends = [known.get(input.from)!.regionId, known.get(input.to)!.regionId];
      if (!this.reading.check(at, () => (this.mayWrite(ends, `${stored ? "change" : "add"} referrals between ${input.from} and ${input.to}`), true))) continue;
      const next: StoredReferral = { id: stored?.id ?? randomUUID(), ...record, until: fields.until, status: fields.status, fields };
      const clash = (byChannel.get(channel(next)) ?? []).find((other) => other.id !== next.id && periodsOverlap(other, next));
      if (clash) {
        this.reading.reject(at, "since", `another referral between the same organizations for the same categories runs in the same period (since ${clash.since ?? "always"}, until ${clash.until ?? "open"}): change the dates, or end one`);
        continue;
      }
      const row: ReferralRow = { id: next.id, ...record, ...fields };
      if (stored) {
        updates.push(row);
        this.report.updated.referrals++;
        this.changed(at, asFileFields(stored.fields), asFileFields(fields));
      } else {
        inserts.push(row);
        this.report.created.referrals++;
        claimed.add(next.id); // a later record of the file may not take it again
        newlyClaimed.push(next.id);
      }
      changes.push({ action: stored ? "update" : "create", entityType: "referral", entityId: next.id, before: stored ?? null, after: row });
      keep(next);
    }

    await inSlices(this.tx, inserts, INSERT.sql, INSERT.values);
    await inSlices(this.tx, updates, UPDATE.sql, UPDATE.values);
    await inSlices(this.tx, newlyClaimed, `INSERT INTO import_claimed (id) SELECT unnest($1::uuid[])`, [(id: string) => id]);
    await recordChanges(this.tx, this.options.actor, changes);
  }
}
