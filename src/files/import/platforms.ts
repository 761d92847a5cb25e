// The platforms section: a platform, its members and its meetings (the whole lists a record gives).
import { randomUUID } from "node:crypto";
import { Faults, InputError } from "../../errors";
import { recordChange } from "../../db/write";
import { insertOne, selectList, updateOne } from "../../db/table";
import { MEETING_FILE_KEYS, meetingParticipantTable, meetingTable, PLATFORM_FIELD_KEYS, PLATFORM_FILE_KEYS, platformMemberTable, platformTable } from "../../platforms/platform.table";
import { platformMeetingsSql, platformMembersSql } from "../platform-records";
import { columnValue, declaredFields, gives, list, object, onlyFields, same } from "./checks";
import type { Import } from "./index";
import { byMeeting, Known, PlatformFields, PlatformMeeting, StoredPlatform } from "./rows";

/** The columns a file names by slug, read from what is stored: the region's id (the import scopes by it), the coordinator's slug. */
const OWN_KEYS = PLATFORM_FILE_KEYS.filter((key) => key !== "regionId" && key !== "coordinatorId");

export async function platforms(this: Import): Promise<void> {
  if (this.source.counts.platforms === 0) return; // no need to read the stored ones
  const scope = this.options.region;
  const rows: Record<string, any>[] = await this.tx.query(
    `SELECT p.id, ${selectList(platformTable, OWN_KEYS, "p")}, p.region_id AS "regionId", c.slug AS "coordinatorId",
            ${platformMembersSql("p")} AS members, ${platformMeetingsSql("p")} AS meetings
       FROM platforms p LEFT JOIN organizations c ON c.id = p.coordinator_id`,
  );
  const stored = new Map<string, StoredPlatform>(
    rows.map((p) => [
      p.slug,
      {
        id: p.id as string,
        fields: { ...Object.fromEntries(PLATFORM_FIELD_KEYS.map((key) => [key, p[key]])), members: p.members } as PlatformFields,
        meetings: ((typeof p.meetings === "string" ? JSON.parse(p.meetings) : p.meetings) as PlatformMeeting[]).sort(byMeeting),
      },
    ]),
  );
  // A platform names few organizations, but many meetings may: small batches.
  for await (const batch of this.sections("platforms", 100)) {
    const named = batch.flatMap(({ value: p }) => [
      p.coordinator,
      ...(Array.isArray(p.members) ? p.members : []),
      ...(Array.isArray(p.meetings) ? p.meetings.flatMap((m: any) => [...(Array.isArray(m?.organizers) ? m.organizers : []), ...(Array.isArray(m?.presenters) ? m.presenters : [])]) : []),
    ]);
    const known = await this.known(named);
    for (const { at, value: input } of batch) {
      const before = typeof input.slug === "string" ? stored.get(input.slug) : undefined;
      const region = gives(input, "region") ? input.region : this.regionSlug(before?.fields.regionId ?? null);
      if (!this.taken(at, scope === undefined || region === scope, input.slug)) continue;
      const checked = this.reading.check(at, () => {
        const faults = new Faults();
        faults.check(() => onlyFields(input, "platforms"));
        const slug = faults.check(() => columnValue(platformTable.columns.slug, input.slug, "slug")) as string;
        const given: Partial<PlatformFields> = declaredFields(platformTable, PLATFORM_FIELD_KEYS, input, !before, faults, {
          regionId: (value, field) => this.regionId(value, field) ?? (() => { throw new InputError(field, "must be given: the slug of the platform's region"); })(),
          coordinatorId: (value, field) => (value === null || value === undefined ? null : (this.organizationId(known, value, field), value as string)),
        });
        if (!before || gives(input, "members")) given.members = faults.check(() => this.organizationSlugs(known, input.members, "members"));
        const meetings = !before || gives(input, "meetings") ? faults.check(() => this.meetings(known, input.meetings)) : before.meetings;
        faults.throwIfAny();
        return { slug, fields: { ...before?.fields, ...given } as PlatformFields, meetings: meetings! };
      });
      if (!checked) continue;
      if (before && same(before.fields, checked.fields) && same(before.meetings, checked.meetings)) {
        this.report.unchanged.platforms++;
        continue;
      }
      if (!this.reading.check(at, () => (this.mayAdmin(`${before ? "change" : "create"} platform ${checked.slug}`), true))) continue;
      await this.writePlatform(before, checked, known);
      if (before) {
        const view = ({ fields: { regionId, coordinatorId, ...fields }, meetings }: { fields: PlatformFields; meetings: PlatformMeeting[] }) => ({ ...fields, region: this.regionSlug(regionId), coordinator: coordinatorId, meetings });
        this.changed(at, view(before), view(checked));
        this.report.updated.platforms++;
      } else this.report.created.platforms++;
    }
  }
}

/** A platform's meetings as a file gives them (the whole list), every fault told, in the order stored ones are compared in. */
export function meetings(this: Import, known: Map<string, Known>, value: unknown): PlatformMeeting[] {
  const faults = new Faults();
  const meetings = list(value, "meetings").map((meeting, k) =>
    faults.check(() => {
      const m = object(meeting, `meetings[${k}]`);
      const own = new Faults();
      own.check(() => onlyFields(m, "platforms.meetings", `meetings[${k}].`));
      const columns = declaredFields(meetingTable, MEETING_FILE_KEYS, m, true, own, {}, `meetings[${k}].`);
      const organizers = own.check(() => this.organizationSlugs(known, m.organizers, `meetings[${k}].organizers`));
      const presenters = own.check(() => this.organizationSlugs(known, m.presenters, `meetings[${k}].presenters`));
      own.throwIfAny();
      return { ...columns, organizers, presenters } as PlatformMeeting;
    }),
  );
  faults.throwIfAny();
  return (meetings as PlatformMeeting[]).sort(byMeeting);
}

export async function writePlatform(this: Import, before: { id: string } | undefined, checked: { slug: string; fields: PlatformFields; meetings: PlatformMeeting[] }, known: Map<string, Known>): Promise<void> {
  const { members, coordinatorId: coordinator, ...fields } = checked.fields;
  const id = before?.id ?? randomUUID();
  const row = { ...fields, coordinatorId: coordinator === null ? null : this.organizationId(known, coordinator, "coordinator") };
  if (before) {
    await this.tx.query(...updateOne(platformTable, PLATFORM_FIELD_KEYS, id, row));
    await this.tx.query(`DELETE FROM ${platformMemberTable.name} WHERE platform_id = $1`, [id]);
    await this.tx.query(`DELETE FROM ${meetingTable.name} WHERE platform_id = $1`, [id]);
  } else {
    await this.tx.query(...insertOne(platformTable, ["id", ...PLATFORM_FILE_KEYS], { id, slug: checked.slug, ...row }));
  }
  await this.tx.query(`INSERT INTO ${platformMemberTable.name} (platform_id, organization_id) SELECT $1, id FROM organizations WHERE slug = ANY($2::text[])`, [id, members]);
  for (const { organizers, presenters, ...meeting } of checked.meetings) {
    const meetingId = randomUUID();
    await this.tx.query(...insertOne(meetingTable, ["id", "platformId", ...MEETING_FILE_KEYS], { id: meetingId, platformId: id, ...meeting }));
    await this.tx.query(
      `INSERT INTO ${meetingParticipantTable.name} (meeting_id, organization_id, role)
       SELECT $1::uuid, o.id, 'ORGANIZER' FROM organizations o WHERE o.slug = ANY($2::text[])
       UNION ALL SELECT $1::uuid, o.id, 'PRESENTER' FROM organizations o WHERE o.slug = ANY($3::text[])`,
      [meetingId, organizers, presenters],
    );
  }
  await recordChange(this.tx, this.options.actor, before ? "update" : "create", "platform", id, before ?? null, checked);
}
