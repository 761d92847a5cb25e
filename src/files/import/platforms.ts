// The platforms section: a platform, its members and its meetings (the whole lists a record gives).
import { randomUUID } from "node:crypto";
import { Faults, InputError } from "../../errors";
import { enumValue, optionalText, requiredText, slugValue } from "../../domain/validate";
import { MeetingFormat } from "../../domain/vocabulary";
import { recordChange } from "../../db/write";
import { MAX_PARTICIPANTS } from "../network-file";
import { day, gives, list, object, onlyFields, same } from "./checks";
import type { Import } from "./index";
import { shown } from "./reading";
import { byMeeting, Known, PlatformFields, PlatformMeeting, StoredPlatform } from "./rows";

export async function platforms(this: Import): Promise<void> {
  if (this.source.counts.platforms === 0) return; // no need to read the stored ones
  const scope = this.options.region;
  // Organizations by slug (sorted as JavaScript sorts them: "C"), as a file names them.
  const rows: Record<string, any>[] = await this.tx.query(
    `SELECT p.id, p.slug, p.name, p.region_id, c.slug AS coordinator, p.description,
            (SELECT coalesce(array_agg(o.slug ORDER BY o.slug COLLATE "C"), '{}') FROM platform_members m JOIN organizations o ON o.id = m.organization_id WHERE m.platform_id = p.id) AS members,
            (SELECT coalesce(json_agg(json_build_object('date', g.date::text, 'title', g.title, 'format', g.format, 'participantCount', g.participant_count,
                'organizers', (SELECT coalesce(array_agg(o.slug ORDER BY o.slug COLLATE "C"), '{}') FROM meeting_participants x JOIN organizations o ON o.id = x.organization_id WHERE x.meeting_id = g.id AND x.role = 'ORGANIZER'),
                'presenters', (SELECT coalesce(array_agg(o.slug ORDER BY o.slug COLLATE "C"), '{}') FROM meeting_participants x JOIN organizations o ON o.id = x.organization_id WHERE x.meeting_id = g.id AND x.role = 'PRESENTER'),
                'topics', g.topics, 'notes', g.notes) ORDER BY g.date, g.title COLLATE "C"), '[]') FROM meetings g WHERE g.platform_id = p.id) AS meetings
       FROM platforms p LEFT JOIN organizations c ON c.id = p.coordinator_id`,
  );
  const stored = new Map<string, StoredPlatform>(
    rows.map((p) => [
      p.slug,
      {
        id: p.id as string,
        fields: { name: p.name, regionId: p.region_id, coordinator: p.coordinator, description: p.description, members: p.members },
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
        const slug = faults.check(() => slugValue(input.slug, "slug"));
        const given: Partial<PlatformFields> = {};
        const wanted = (field: string) => !before || gives(input, field);
        if (wanted("name")) given.name = faults.check(() => requiredText(input.name, "name"));
        if (wanted("region")) {
          given.regionId = faults.check(() => this.regionId(input.region, "region") ?? (() => { throw new InputError("region", "must be given: the slug of the platform's region"); })());
        }
        if (wanted("coordinator")) given.coordinator = faults.check(() => (input.coordinator === null || input.coordinator === undefined ? null : (this.organizationId(known, input.coordinator, "coordinator"), input.coordinator as string)));
        if (wanted("description")) given.description = faults.check(() => optionalText(input.description, "description"));
        if (wanted("members")) given.members = faults.check(() => this.organizationSlugs(known, input.members, "members"));
        const meetings = wanted("meetings") ? faults.check(() => this.meetings(known, input.meetings)) : before!.meetings;
        faults.throwIfAny();
        return { slug: slug!, fields: { ...before?.fields, ...given } as PlatformFields, meetings: meetings! };
      });
      if (!checked) continue;
      if (before && same(before.fields, checked.fields) && same(before.meetings, checked.meetings)) {
        this.report.unchanged.platforms++;
        continue;
      }
      if (!this.reading.check(at, () => (this.mayAdmin(`${before ? "change" : "create"} platform ${checked.slug}`), true))) continue;
      await this.writePlatform(before, checked);
      if (before) {
        const view = ({ fields: { regionId, ...fields }, meetings }: { fields: PlatformFields; meetings: PlatformMeeting[] }) => ({ ...fields, region: this.regionSlug(regionId), meetings });
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
      const count = m.participantCount ?? null;
      if (count !== null && (!Number.isInteger(count) || count < 0 || count > MAX_PARTICIPANTS)) {
        own.add(`meetings[${k}].participantCount`, `must be a whole number from 0 to ${MAX_PARTICIPANTS}, got ${shown(count)}`);
      }
      const date = own.check(() => day(m.date, `meetings[${k}].date`) ?? (() => { throw new InputError(`meetings[${k}].date`, "must be given"); })());
      const title = own.check(() => requiredText(m.title, `meetings[${k}].title`));
      const format = own.check(() => (m.format === null || m.format === undefined ? null : enumValue(MeetingFormat, m.format, `meetings[${k}].format`)));
      const organizers = own.check(() => this.organizationSlugs(known, m.organizers, `meetings[${k}].organizers`));
      const presenters = own.check(() => this.organizationSlugs(known, m.presenters, `meetings[${k}].presenters`));
      const topics = own.check(() => list(m.topics, `meetings[${k}].topics`).map((t, n) => requiredText(t, `meetings[${k}].topics[${n}]`)));
      const notes = own.check(() => optionalText(m.notes, `meetings[${k}].notes`));
      own.throwIfAny();
      return { date: date!, title: title!, format: format!, participantCount: count, organizers: organizers!, presenters: presenters!, topics: topics!, notes: notes! };
    }),
  );
  faults.throwIfAny();
  return (meetings as PlatformMeeting[]).sort(byMeeting);
}

export async function writePlatform(this: Import, before: { id: string } | undefined, checked: { slug: string; fields: PlatformFields; meetings: PlatformMeeting[] }): Promise<void> {
  const f = checked.fields;
  const id = before?.id ?? randomUUID();
  const coordinator = `(SELECT id FROM organizations WHERE slug = $4)`;
  if (before) {
    await this.tx.query(`UPDATE platforms SET name = $2, region_id = $3, coordinator_id = ${coordinator}, description = $5 WHERE id = $1`, [id, f.name, f.regionId, f.coordinator, f.description]);
    await this.tx.query(`DELETE FROM platform_members WHERE platform_id = $1`, [id]);
    await this.tx.query(`DELETE FROM meetings WHERE platform_id = $1`, [id]);
  } else {
    await this.tx.query(`INSERT INTO platforms (id, slug, name, region_id, coordinator_id, description) VALUES ($1, $6, $2, $3, ${coordinator}, $5)`, [id, f.name, f.regionId, f.coordinator, f.description, checked.slug]);
  }
  await this.tx.query(`INSERT INTO platform_members (platform_id, organization_id) SELECT $1, id FROM organizations WHERE slug = ANY($2::text[])`, [id, f.members]);
  for (const m of checked.meetings) {
    const meetingId = randomUUID();
    await this.tx.query(
      `INSERT INTO meetings (id, platform_id, date, title, format, participant_count, topics, notes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [meetingId, id, m.date, m.title, m.format, m.participantCount, m.topics, m.notes],
    );
    await this.tx.query(
      `INSERT INTO meeting_participants (meeting_id, organization_id, role)
       SELECT $1::uuid, o.id, 'ORGANIZER' FROM organizations o WHERE o.slug = ANY($2::text[])
       UNION ALL SELECT $1::uuid, o.id, 'PRESENTER' FROM organizations o WHERE o.slug = ANY($3::text[])`,
      [meetingId, m.organizers, m.presenters],
    );
  }
  await recordChange(this.tx, this.options.actor, before ? "update" : "create", "platform", id, before ?? null, checked);
}
