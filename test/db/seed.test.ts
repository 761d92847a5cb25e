import { DataSource } from "typeorm";
import { CORREZE, seedIfEmpty } from "../../src/db/seed/seed";
import { countRows, freshDatabase, TestDatabase } from "../helpers/database";

let database: TestDatabase;
let db: DataSource;
beforeAll(async () => {
  database = await freshDatabase();
  db = database.db;
});
afterAll(() => database.close());

const count = (table: string) => countRows(db, table);

describe("the Corrèze seed", () => {
  it("when the database is empty, then the whole seed file lands, audited as the seed", async () => {
    expect(await seedIfEmpty(db)).toBe(true);
    expect(await count("regions")).toBe(CORREZE.regions.length);
    expect(await count("organizations")).toBe(CORREZE.organizations.length);
    expect(await count("referrals")).toBe(CORREZE.referrals.length);
    expect(await count("platforms")).toBe(CORREZE.platforms.length);
    const [audit] = await db.query(`SELECT count(*)::int AS n, min(actor) AS actor FROM audit_log`);
    expect(audit.actor).toBe("seed");
    expect(audit.n).toBeGreaterThanOrEqual(CORREZE.organizations.length);
  });

  it("when the database already holds data, then the seed does nothing", async () => {
    const before = await count("organizations");
    expect(await seedIfEmpty(db)).toBe(false);
    expect(await count("organizations")).toBe(before);
  });

  it("when read back, then it holds the founding article's facts", async () => {
    const [region] = await db.query(`SELECT name, country FROM regions WHERE slug = 'correze'`);
    expect(region).toEqual({ name: "Corrèze", country: "FR" });
    const kinds = Object.fromEntries(
      (await db.query(`SELECT slug, kind, region_id IS NULL AS transnational FROM organizations`)).map((o: any) => [o.slug, [o.kind, o.transnational]]),
    );
    expect(kinds).toMatchObject({
      "entraide-pierre-valdo": ["NGO", false],
      "icmc-europe": ["NETWORK", true],
      "chemins-singuliers": ["ASSOCIATION", false],
      mosaik: ["ASSOCIATION", false],
      "mission-locale": ["PUBLIC_SERVICE", false],
      "institut-don-bosco": ["ASSOCIATION", false],
    });
    const bosco = await db.query(
      `SELECT s.category, s.target_groups, s.min_age, s.max_age FROM services s JOIN organizations o ON o.id = s.organization_id WHERE o.slug = 'institut-don-bosco' ORDER BY s.category`,
    );
    expect(bosco).toEqual([
      { category: "MENTORING", target_groups: ["UNACCOMPANIED_MINOR"], min_age: 0, max_age: 17 },
      { category: "SPORT_AND_CULTURE", target_groups: ["UNACCOMPANIED_MINOR"], min_age: 0, max_age: 17 },
    ]);
    const meetings = await db.query(`SELECT date, participant_count FROM meetings m JOIN platforms p ON p.id = m.platform_id WHERE p.slug = 'correze-platform' ORDER BY date`);
    expect(meetings).toEqual([
      { date: "2021-09-23", participant_count: 12 },
      { date: "2022-01-27", participant_count: 13 },
    ]);
  });

  it("when a seed names a slug it does not define, then nothing of it lands", async () => {
    const other = await freshDatabase();
    try {
      const broken = { ...CORREZE, referrals: [...CORREZE.referrals, { from: "mosaik", to: "ghost", categories: CORREZE.referrals[0].categories }] };
      await expect(seedIfEmpty(other.db, broken)).rejects.toThrow(/ghost/);
      expect(await countRows(other.db, "organizations")).toBe(0);
    } finally {
      await other.close();
    }
  });
});
