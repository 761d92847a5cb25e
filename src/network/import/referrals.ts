// The referrals section: each record matched to a stored referral by its identity (ends,
// categories, since), merged, checked against the period and overlap rules, written in bulk.
import { randomUUID } from "node:crypto";
import { eligibilityColumns } from "../../common/eligibility";
import { Faults } from "../../errors";
import { categorySet, enumValue, optionalText } from "../../common/validate";
import { ReferralStatus, ServiceCategory } from "../../common/vocabulary";
import { Change, recordChanges } from "../../db/write";
import { periodFaults, periodsOverlap, untilBeforeSince } from "../../referrals/referral.rules";
import { day, eligibilityFields, gives, list, onlyFields, same } from "./checks";
import type { Import } from "./index";
import { At } from "./reading";
import { channel, identity, inSlices, NEW_REFERRAL, referralColumns, ReferralFields, ReferralRow, referralSource, StoredReferral } from "./rows";

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
          else if (columns) for (const key of ["targetGroups", "minAge", "maxAge"] as const) if (gives(eligibility, key)) (given as Record<string, unknown>)[key] = columns[key];
        }
        // An explicit null status is the default one.
        if (gives(input, "status")) given.status = faults.check(() => enumValue(ReferralStatus, input.status ?? ReferralStatus.ACTIVE, "status"));
        if (gives(input, "until")) given.until = faults.check(() => day(input.until, "until"));
        // Told now with the record's other faults; the rules on the merged referral follow below.
        const order = since !== undefined && given.until !== undefined ? untilBeforeSince({ since, until: given.until }) : undefined;
        if (order) faults.add(order.field, order.reason);
        if (gives(input, "description")) given.description = faults.check(() => optionalText(input.description, "description"));
        if (gives(input, "source")) given.source = faults.check(() => optionalText(input.source, "source", 1000));
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
          `SELECT r.id, r.from_id, r.to_id, r.categories, r.target_groups, r.min_age, r.max_age, r.status, r.since::text AS since, r.until::text AS until,
                  r.description, r.source, c.id IS NOT NULL AS claimed
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
        id: r.id, fromId: r.from_id, toId: r.to_id, categories: r.categories, since: r.since, until: r.until, status: r.status,
        fields: { targetGroups: r.target_groups, minAge: r.min_age, maxAge: r.max_age, status: r.status, until: r.until, description: r.description, source: r.source },
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
        const { targetGroups, minAge, maxAge, ...rest } = stored.fields as ReferralFields;
        const { targetGroups: groups, minAge: min, maxAge: max, ...now } = fields;
        this.changed(at, { "eligibility.targetGroups": targetGroups, "eligibility.minAge": minAge, "eligibility.maxAge": maxAge, ...rest }, { "eligibility.targetGroups": groups, "eligibility.minAge": min, "eligibility.maxAge": max, ...now });
      } else {
        inserts.push(row);
        this.report.created.referrals++;
        claimed.add(next.id); // a later record of the file may not take it again
        newlyClaimed.push(next.id);
      }
      changes.push({ action: stored ? "update" : "create", entityType: "referral", entityId: next.id, before: stored ?? null, after: row });
      keep(next);
    }

    await inSlices(this.tx, inserts,
      `INSERT INTO referrals (id, from_id, to_id, categories, target_groups, min_age, max_age, status, since, until, description, source)
       SELECT id, from_id, to_id, categories::text[], target_groups::text[], min_age, max_age, status, since, until, description, source FROM ${referralSource}`, referralColumns);
    await inSlices(this.tx, updates,
      `UPDATE referrals r SET target_groups = u.target_groups::text[], min_age = u.min_age, max_age = u.max_age, status = u.status, until = u.until,
              description = u.description, source = u.source, version = r.version + 1, updated_at = now()
         FROM ${referralSource} WHERE r.id = u.id`, referralColumns);
    await inSlices(this.tx, newlyClaimed, `INSERT INTO import_claimed (id) SELECT unnest($1::uuid[])`, [(id: string) => id]);
    await recordChanges(this.tx, this.options.actor, changes);
  }
}
