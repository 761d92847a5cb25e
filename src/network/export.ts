import { DataSource } from "typeorm";
import { NETWORK_FORMAT, NETWORK_FORMAT_VERSION, NetworkFile } from "./network-file";

// The whole stored network as a network file, in one consistent read, every list in a fixed order
// (by slug, then by what identifies a record), so that two exports of the same data are the same
// bytes and `npm run import` of the file changes nothing.

const json = <T>(value: unknown): T => (typeof value === "string" ? JSON.parse(value) : value) as T;

export async function exportNetwork(db: DataSource): Promise<NetworkFile> {
  return db.transaction("REPEATABLE READ", async (tx) => {
    const regions = await tx.query(`SELECT slug, name, country, nuts_code AS "nutsCode" FROM regions ORDER BY slug COLLATE "C"`);
    const organizations = (
      await tx.query(
        `SELECT o.slug, o.name, o.kind, r.slug AS region, o.description, o.website,
                (SELECT coalesce(json_agg(json_build_object('name', s.name, 'category', s.category, 'description', s.description,
                   'eligibility', json_build_object('targetGroups', s.target_groups, 'minAge', s.min_age, 'maxAge', s.max_age)) ORDER BY s.position), '[]')
                   FROM services s WHERE s.organization_id = o.id) AS services
           FROM organizations o LEFT JOIN regions r ON r.id = o.region_id ORDER BY o.slug COLLATE "C"`,
      )
    ).map((o: Record<string, unknown>) => ({ ...o, services: json(o.services) }));
    const referrals = (
      await tx.query(
        `SELECT f.slug AS "from", t.slug AS "to", x.categories, x.target_groups, x.min_age, x.max_age, x.status,
                x.since::text AS since, x.until::text AS until, x.description, x.source
           FROM referrals x JOIN organizations f ON f.id = x.from_id JOIN organizations t ON t.id = x.to_id
          ORDER BY f.slug COLLATE "C", t.slug COLLATE "C", array_to_string(x.categories, ',') COLLATE "C", x.since NULLS FIRST, x.id`,
      )
    ).map((r: Record<string, any>) => ({
      from: r.from,
      to: r.to,
      categories: r.categories,
      eligibility: { targetGroups: r.target_groups, minAge: r.min_age, maxAge: r.max_age },
      status: r.status,
      since: r.since,
      until: r.until,
      description: r.description,
      source: r.source,
    }));
    const partnerships = (
      await tx.query(
        `SELECT p.kind, p.description, array_agg(o.slug ORDER BY o.slug COLLATE "C") AS organizations
           FROM partnerships p JOIN partnership_members m ON m.partnership_id = p.id JOIN organizations o ON o.id = m.organization_id
          GROUP BY p.id`,
      )
    )
      .map((p: Record<string, any>) => ({ kind: p.kind, organizations: p.organizations, description: p.description }))
      .sort((a: { kind: string; organizations: string[] }, b: { kind: string; organizations: string[] }) => {
        const x = `${a.kind}|${a.organizations.join(",")}`;
        const y = `${b.kind}|${b.organizations.join(",")}`;
        return x < y ? -1 : x > y ? 1 : 0;
      });
    const platforms = (
      await tx.query(
        `SELECT p.slug, p.name, r.slug AS region, c.slug AS coordinator, p.description,
                (SELECT coalesce(array_agg(o.slug ORDER BY o.slug COLLATE "C"), '{}') FROM platform_members m JOIN organizations o ON o.id = m.organization_id WHERE m.platform_id = p.id) AS members,
                (SELECT coalesce(json_agg(json_build_object('date', g.date::text, 'title', g.title, 'format', g.format, 'participantCount', g.participant_count,
                   'organizers', (SELECT coalesce(array_agg(o.slug ORDER BY o.slug COLLATE "C"), '{}') FROM meeting_participants x JOIN organizations o ON o.id = x.organization_id WHERE x.meeting_id = g.id AND x.role = 'ORGANIZER'),
                   'presenters', (SELECT coalesce(array_agg(o.slug ORDER BY o.slug COLLATE "C"), '{}') FROM meeting_participants x JOIN organizations o ON o.id = x.organization_id WHERE x.meeting_id = g.id AND x.role = 'PRESENTER'),
                   'topics', g.topics, 'notes', g.notes) ORDER BY g.date, g.title COLLATE "C"), '[]') FROM meetings g WHERE g.platform_id = p.id) AS meetings
           FROM platforms p JOIN regions r ON r.id = p.region_id LEFT JOIN organizations c ON c.id = p.coordinator_id
          ORDER BY p.slug COLLATE "C"`,
      )
    ).map((p: Record<string, unknown>) => ({ ...p, meetings: json(p.meetings) }));
    return { format: NETWORK_FORMAT, version: NETWORK_FORMAT_VERSION, regions, organizations, referrals, partnerships, platforms };
  });
}
