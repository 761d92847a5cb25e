// The partnerships section: a partnership per record, matched by its kind and members.
import { randomUUID } from "node:crypto";
import { Faults, InputError } from "../../errors";
import { PartnershipKind } from "../../domain/vocabulary";
import { recordChange } from "../../db/write";
import { membersFault, partnershipIdentity } from "../../partnerships/partnership.rules";
import { PARTNERSHIP_FIELD_KEYS, PARTNERSHIP_FILE_KEYS, PartnershipFileKey, partnershipMemberTable, PartnershipRecord, partnershipTable } from "../../partnerships/partnership.table";
import { columnValue, declaredFields, onlyFields } from "./checks";
import { insertOne, selectList, updateOne } from "../../db/table";
import type { Import } from "./index";

export async function partnerships(this: Import): Promise<void> {
  if (this.source.counts.partnerships === 0) return; // no need to read the stored ones
  const rows: ({ id: string; members: string[] } & Pick<PartnershipRecord, PartnershipFileKey>)[] = await this.tx.query(
    `SELECT ${selectList(partnershipTable, ["id", ...PARTNERSHIP_FILE_KEYS], "p")},
            coalesce(array_agg(m.organization_id::text ORDER BY m.organization_id) FILTER (WHERE m.organization_id IS NOT NULL), '{}') AS members
       FROM partnerships p LEFT JOIN partnership_members m ON m.partnership_id = p.id GROUP BY p.id`,
  );
  const byIdentity = new Map(rows.map((p) => [partnershipIdentity(p.kind, p.members), p]));
  for await (const batch of this.sections("partnerships")) {
    const known = await this.known(batch.flatMap(({ value }) => (Array.isArray(value.organizations) ? value.organizations : [])));
    for (const { at, value: input } of batch) {
      const slugs: unknown[] = Array.isArray(input.organizations) ? input.organizations : [];
      if (!this.touches(slugs, known)) {
        this.report.skipped.partnerships++;
        continue;
      }
      const checked = this.reading.check(at, () => {
        const faults = new Faults();
        faults.check(() => onlyFields(input, "partnerships"));
        const kind = faults.check(() => columnValue(partnershipTable.columns.kind, input.kind, "kind")) as PartnershipKind | undefined;
        const members = faults.check(() => {
          const ids = [...new Set(this.organizationSlugs(known, input.organizations, "organizations").map((slug) => known.get(slug)!.id))].sort();
          const size = membersFault(ids.length, "organizations");
          if (size) throw new InputError(size.field, size.reason);
          return ids;
        });
        // What it gives beside what identifies it (kind, members): a field it leaves out keeps the stored one.
        const given = declaredFields(partnershipTable, PARTNERSHIP_FIELD_KEYS, input, false, faults);
        faults.throwIfAny();
        return { kind: kind!, members: members!, description: given.description };
      });
      if (!checked) continue;
      const key = partnershipIdentity(checked.kind, checked.members);
      const stored = byIdentity.get(key);
      // Without a description, a partnership keeps the stored one.
      const description = checked.description === undefined ? (stored?.description ?? null) : checked.description;
      const after = { kind: checked.kind, members: checked.members, description };
      if (stored && stored.description === description) {
        this.report.unchanged.partnerships++;
        continue;
      }
      const regions = slugs.map((slug) => known.get(slug as string)!.regionId);
      if (!this.reading.check(at, () => (this.mayWrite(regions, `${stored ? "change" : "add"} this partnership`), true))) continue;
      if (stored) {
        await this.tx.query(...updateOne(partnershipTable, PARTNERSHIP_FIELD_KEYS, stored.id, { description }));
        await recordChange(this.tx, this.options.actor, "update", "partnership", stored.id, stored, after);
        this.changed(at, { description: stored.description }, { description });
        this.report.updated.partnerships++;
        stored.description = description;
        continue;
      }
      const id = randomUUID();
      await this.tx.query(...insertOne(partnershipTable, ["id", ...PARTNERSHIP_FILE_KEYS], { id, kind: checked.kind, description }));
      const members = partnershipMemberTable.columns;
      await this.tx.query(`INSERT INTO ${partnershipMemberTable.name} (${members.partnershipId.sql}, ${members.organizationId.sql}) SELECT $1, unnest($2::uuid[])`, [id, checked.members]);
      await recordChange(this.tx, this.options.actor, "create", "partnership", id, null, after);
      byIdentity.set(key, { id, kind: checked.kind, description, members: checked.members });
      this.report.created.partnerships++;
    }
  }
}
