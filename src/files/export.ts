import { DataSource, EntityManager } from "typeorm";
import { fileRecord, jsonRecordSql, selectList } from "../db/table";
import { ORGANIZATION_FILE_KEYS, organizationTable, SERVICE_FILE_KEYS, serviceTable } from "../organizations/organization.table";
import { REFERRAL_FILE_KEYS, referralTable } from "../referrals/referral.table";
import { REGION_FILE_KEYS, regionTable } from "../regions/region.table";
import { PARTNERSHIP_FILE_KEYS, partnershipTable } from "../partnerships/partnership.table";
import { PLATFORM_FILE_KEYS, platformTable } from "../platforms/platform.table";
import { platformMeetingsSql, platformMembersSql } from "./platform-records";
import { NETWORK_FORMAT, NETWORK_FORMAT_VERSION, NetworkFile, Section } from "./network-file";

// The whole stored network as a network file, in one consistent read, every list in a fixed order
// (by slug, then by what identifies a record), so that two exports of the same data are the same
// bytes and `npm run import` of the file changes nothing. Written as it is read, a page of rows at
// a time through cursors, so that memory holds a page, not the network: the text is what
// JSON.stringify(file, null, 2) would give.

const json = <T>(value: unknown): T => (typeof value === "string" ? JSON.parse(value) : value) as T;

/** Rows fetched at a time from each cursor. */
const PAGE = 2_000;

/** Flushed to the writer once this much text is waiting. */
const FLUSH_CHARS = 1 << 16;

/** Each section's query, in the file's order, and how a row becomes a record. */
const QUERIES: { section: Section; sql: string; record: (row: Record<string, any>) => unknown }[] = [
  {
    section: "regions",
    sql: `SELECT ${selectList(regionTable, REGION_FILE_KEYS, "r")} FROM regions r ORDER BY r.slug COLLATE "C"`,
    record: (r) => fileRecord(regionTable, REGION_FILE_KEYS, r),
  },
  {
    section: "organizations",
    sql: `SELECT r.slug AS "regionId", ${selectList(organizationTable, ORGANIZATION_FILE_KEYS.filter((key) => key !== "regionId"), "o")},
                 (SELECT coalesce(json_agg(${jsonRecordSql(serviceTable, SERVICE_FILE_KEYS, "s")} ORDER BY s.position), '[]')
                    FROM services s WHERE s.organization_id = o.id) AS services
            FROM organizations o LEFT JOIN regions r ON r.id = o.region_id ORDER BY o.slug COLLATE "C"`,
    record: (o) => ({ ...fileRecord(organizationTable, ORGANIZATION_FILE_KEYS, o), services: json(o.services) }),
  },
  {
    section: "referrals",
    sql: `SELECT f.slug AS "fromId", t.slug AS "toId", ${selectList(referralTable, REFERRAL_FILE_KEYS.filter((key) => key !== "fromId" && key !== "toId"), "x")}
            FROM referrals x JOIN organizations f ON f.id = x.from_id JOIN organizations t ON t.id = x.to_id
           ORDER BY f.slug COLLATE "C", t.slug COLLATE "C", array_to_string(x.categories, ',') COLLATE "C", x.since NULLS FIRST, x.id`,
    record: (r) => fileRecord(referralTable, REFERRAL_FILE_KEYS, r),
  },
  {
    section: "partnerships",
    // Slugs and kinds are ASCII: "C" order of the joined text is the order of its characters.
    sql: `SELECT ${selectList(partnershipTable, PARTNERSHIP_FILE_KEYS, "p")}, array_agg(o.slug ORDER BY o.slug COLLATE "C") AS organizations
            FROM partnerships p JOIN partnership_members m ON m.partnership_id = p.id JOIN organizations o ON o.id = m.organization_id
           GROUP BY p.id ORDER BY (p.kind || '|' || string_agg(o.slug, ',' ORDER BY o.slug COLLATE "C")) COLLATE "C", p.id`,
    record: (p) => ({ ...fileRecord(partnershipTable, PARTNERSHIP_FILE_KEYS, p), organizations: p.organizations }),
  },
  {
    section: "platforms",
    sql: `SELECT ${selectList(platformTable, PLATFORM_FILE_KEYS.filter((key) => key !== "regionId" && key !== "coordinatorId"), "p")}, r.slug AS "regionId", c.slug AS "coordinatorId",
                 ${platformMembersSql("p")} AS members, ${platformMeetingsSql("p")} AS meetings
            FROM platforms p JOIN regions r ON r.id = p.region_id LEFT JOIN organizations c ON c.id = p.coordinator_id
           ORDER BY p.slug COLLATE "C"`,
    record: (p) => ({ ...fileRecord(platformTable, PLATFORM_FILE_KEYS, p), members: p.members, meetings: json(p.meetings) }),
  },
];

/** The rows of a query, a page at a time, through a cursor of the open transaction. */
async function* pages(tx: EntityManager, name: string, sql: string): AsyncGenerator<Record<string, any>[]> {
  await tx.query(`DECLARE ${name} NO SCROLL CURSOR FOR ${sql}`);
  for (;;) {
    const page: Record<string, any>[] = await tx.query(`FETCH FORWARD ${PAGE} FROM ${name}`);
    if (page.length === 0) break;
    yield page;
  }
  await tx.query(`CLOSE ${name}`);
}

/** Writes the stored network as a network file's text, a piece at a time; `write` may wait (a full stream). Gives how many records of each section it wrote. */
export async function writeNetwork(db: DataSource, write: (text: string) => unknown): Promise<Record<Section, number>> {
  const written = Object.fromEntries(QUERIES.map(({ section }) => [section, 0])) as Record<Section, number>;
  let waiting = "";
  const put = async (text: string) => {
    waiting += text;
    if (waiting.length >= FLUSH_CHARS) {
      await write(waiting);
      waiting = "";
    }
  };
  await db.transaction("REPEATABLE READ", async (tx) => {
    await put(`{\n  "format": ${JSON.stringify(NETWORK_FORMAT)},\n  "version": ${NETWORK_FORMAT_VERSION}`);
    for (const { section, sql, record } of QUERIES) {
      await put(`,\n  "${section}": [`);
      let first = true;
      for await (const page of pages(tx, `export_${section}`, sql)) {
        for (const row of page) {
          // As JSON.stringify(file, null, 2) writes a record two levels down.
          await put(`${first ? "" : ","}\n    ${JSON.stringify(record(row), null, 2).replace(/\n/g, "\n    ")}`);
          first = false;
          written[section]++;
        }
      }
      await put(first ? "]" : "\n  ]");
    }
    await put("\n}");
  });
  if (waiting) await write(waiting);
  return written;
}

/** The stored network as one object (tests, small networks): what writeNetwork writes, parsed. */
export async function exportNetwork(db: DataSource): Promise<NetworkFile> {
  const pieces: string[] = [];
  await writeNetwork(db, (text) => pieces.push(text));
  return JSON.parse(pieces.join(""));
}
