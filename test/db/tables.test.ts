import { ReferralEntity } from "../../src/referrals/referral.entity";
import { REFERRAL_FIELDS, REFERRAL_FILE_KEYS, referralTable } from "../../src/referrals/referral.table";
import { freshDatabase, TestDatabase } from "../helpers/database";
import { Columns, Table } from "../../src/db/table";
import { OrganizationEntity, ServiceEntity } from "../../src/organizations/organization.entity";
import { organizationTable, serviceTable } from "../../src/organizations/organization.table";
import { RegionEntity } from "../../src/regions/region.entity";
import { regionTable } from "../../src/regions/region.table";
import { PartnershipEntity, PartnershipMemberEntity } from "../../src/partnerships/partnership.entity";
import { partnershipMemberTable, partnershipTable } from "../../src/partnerships/partnership.table";
import { MeetingEntity, MeetingParticipantEntity, PlatformEntity, PlatformMemberEntity } from "../../src/platforms/platform.entity";
import { meetingParticipantTable, meetingTable, platformMemberTable, platformTable } from "../../src/platforms/platform.table";

// The table declarations (src/db/table.ts) against what TypeORM's entities and the migrated
// database say: one column missing, renamed, or of another type in either fails here.

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.close());

const SQL_TYPES: Record<string, string> = { uuid: "uuid", text: "text", char: "character", "text[]": "ARRAY", int: "integer", date: "date", timestamptz: "timestamp with time zone" };

const DECLARED = [
  [referralTable, ReferralEntity],
  [organizationTable, OrganizationEntity],
  [serviceTable, ServiceEntity],
  [regionTable, RegionEntity],
  [partnershipTable, PartnershipEntity],
  [partnershipMemberTable, PartnershipMemberEntity],
  [platformTable, PlatformEntity],
  [platformMemberTable, PlatformMemberEntity],
  [meetingTable, MeetingEntity],
  [meetingParticipantTable, MeetingParticipantEntity],
] as unknown as [Table<Columns>, Function][];

it("when the stored network's tables are listed, then each has its declaration", async () => {
  const rows: { table_name: string }[] = await database.db.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`);
  // The service's own tables (keys, audit, versions, migrations) are not records of a network.
  const own = ["api_keys", "audit_log", "graph_changes", "graph_state", "migrations"];
  expect(rows.map((r) => r.table_name).filter((name) => !own.includes(name)).sort()).toEqual(DECLARED.map(([t]) => t.name).sort());
});

describe.each(DECLARED.map(([t, entity]) => [t.name, t, entity] as const))("the declaration of %s", (_name, t, entityClass) => {
  it("when set beside the entity's metadata, then it has the same properties, columns and nullability", () => {
    const metadata = database.db.getMetadata(entityClass);
    const entity = metadata.columns.map((c) => ({ key: c.propertyName, sql: c.databaseName, nullable: c.isNullable })).sort((a, b) => a.key.localeCompare(b.key));
    const declared = t.keys.map((key) => ({ key, sql: t.columns[key].sql, nullable: t.columns[key].nullable })).sort((a, b) => a.key.localeCompare(b.key));
    expect(declared).toEqual(entity);
    expect(metadata.tableName).toBe(t.name);
  });

  it("when set beside the migrated table, then every column has the declared type and nullability", async () => {
    const rows: { column_name: string; data_type: string; is_nullable: string }[] = await database.db.query(
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
      [t.name],
    );
    const stored = Object.fromEntries(rows.map((r) => [r.column_name, { type: r.data_type, nullable: r.is_nullable === "YES" }]));
    const declared = Object.fromEntries(t.keys.map((key) => {
      const c = t.columns[key];
      return [c.sql, { type: SQL_TYPES[c.type], nullable: c.nullable }];
    }));
    expect(declared).toEqual(stored);
  });
});

describe("the referrals table's places", () => {
  it("when its places are listed, then the fields, the file's keys and the identity cover every written column once", () => {
    expect(REFERRAL_FIELDS).toEqual(["targetGroups", "minAge", "maxAge", "status", "until", "description", "source", "verifiedOn"]);
    expect(REFERRAL_FILE_KEYS).toEqual(["fromId", "toId", "categories", "targetGroups", "minAge", "maxAge", "status", "since", "until", "description", "source", "verifiedOn"]);
  });
});
