// The regions section: a region per record, matched by slug.
import { randomUUID } from "node:crypto";
import { Faults } from "../../errors";
import { recordChange } from "../../db/write";
import { columnValue, declaredFields, onlyFields, same } from "./checks";
import { insertOne, selectList, updateOne } from "../../db/table";
import { REGION_FIELD_KEYS, REGION_FILE_KEYS, RegionFields, RegionFileKey, RegionRecord, regionTable } from "../../regions/region.table";
import type { Import } from "./index";

/** Returns whether the chosen region is one of the file's records. */
export async function regions(this: Import): Promise<boolean> {
  const scope = this.options.region;
  let scopeInFile = false;
  const regions: ({ id: string } & Pick<RegionRecord, RegionFileKey>)[] = await this.tx.query(`SELECT ${selectList(regionTable, ["id", ...REGION_FILE_KEYS], "r")} FROM regions r`);
  for (const r of regions) this.regionIds.set(r.slug, r.id);
  const stored = new Map(regions.map(({ id, slug, ...fields }) => [slug, { id, fields: fields as RegionFields }]));
  for await (const batch of this.sections("regions")) {
    for (const { at, value: input } of batch) {
      scopeInFile ||= input.slug === scope;
      if (!this.taken(at, scope === undefined || input.slug === scope, input.slug)) continue;
      const before = typeof input.slug === "string" ? stored.get(input.slug) : undefined;
      const region = this.reading.check(at, () => {
        const faults = new Faults();
        faults.check(() => onlyFields(input, "regions"));
        const slug = faults.check(() => columnValue(regionTable.columns.slug, input.slug, "slug")) as string;
        const given = declaredFields(regionTable, REGION_FIELD_KEYS, input, !before, faults);
        faults.throwIfAny();
        return { slug, fields: { ...before?.fields, ...given } as RegionFields };
      });
      if (!region) continue;
      if (before && same(before.fields, region.fields)) {
        this.report.unchanged.regions++;
        continue;
      }
      if (!this.reading.check(at, () => (this.mayAdmin(`${before ? "change" : "create"} region ${region.slug}`), true))) continue;
      if (!before) {
        const id = randomUUID();
        await this.tx.query(...insertOne(regionTable, ["id", ...REGION_FILE_KEYS], { id, slug: region.slug, ...region.fields }));
        await recordChange(this.tx, this.options.actor, "create", "region", id, null, { slug: region.slug, ...region.fields });
        this.regionIds.set(region.slug, id);
        this.report.created.regions++;
      } else {
        await this.tx.query(...updateOne(regionTable, REGION_FIELD_KEYS, before.id, region.fields));
        await recordChange(this.tx, this.options.actor, "update", "region", before.id, { slug: region.slug, ...before.fields }, { slug: region.slug, ...region.fields });
        this.changed(at, before.fields, region.fields);
        this.report.updated.regions++;
      }
    }
  }
  return scopeInFile;
}
