import fc from "fast-check";
import { PartnershipKind } from "../../src/domain/vocabulary";
import { partnershipIdentity, partnershipIdentitySql } from "../../src/partnerships/partnership.rules";
import { periodsOverlap, periodsOverlapSql } from "../../src/referrals/referral.rules";
import { freshDatabase, TestDatabase } from "../helpers/database";

// Where SQL repeats a rule of code (the services check in the database, the import in memory),
// the two are held to the same answers on random data, in a real database.

let database: TestDatabase;
let orgs: string[];
beforeAll(async () => {
  database = await freshDatabase();
  orgs = [];
  for (let i = 0; i < 6; i++) {
    const [{ id }] = await database.db.query(`INSERT INTO organizations (slug, name, search_name, kind) VALUES ($1, $1, $1, 'NGO') RETURNING id`, [`rules-${i}`]);
    orgs.push(id);
  }
});
afterAll(() => database.close());

const DAYS = ["2024-01-01", "2024-02-29", "2024-03-01", "2024-12-31", "2025-01-01"];
const day = fc.option(fc.constantFrom(...DAYS), { nil: null });
/** A period as stored: since not after until. */
const period = fc.tuple(day, day).map(([a, b]) => (a !== null && b !== null && a > b ? { since: b, until: a } : { since: a, until: b }));
const CATEGORIES = ["HOUSING", "HEALTH", "EMPLOYMENT", "MENTORING", "LEGAL_AID", "MOBILITY", "OTHER", "EDUCATION"];

describe("periodsOverlap and its SQL", () => {
  it("when stored periods are asked whether they overlap a period, then SQL and code find the same ones", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(period, { minLength: 1, maxLength: CATEGORIES.length }), period, async (stored, asked) => {
        await database.db.query(`DELETE FROM referrals`);
        const ids: string[] = [];
        // One category each: the rows need not obey the overlap rule between themselves.
        for (const [i, p] of stored.entries()) {
          const [{ id }] = await database.db.query(
            `INSERT INTO referrals (from_id, to_id, categories, since, until) VALUES ($1, $2, ARRAY[$3], $4, $5) RETURNING id`,
            [orgs[0], orgs[1], CATEGORIES[i], p.since, p.until],
          );
          ids.push(id);
        }
        const rows: { id: string }[] = await database.db.query(`SELECT r.id FROM referrals r WHERE ${periodsOverlapSql("r", "$1", "$2")}`, [asked.since, asked.until]);
        const bySql = rows.map((r) => r.id).sort();
        const byCode = ids.filter((_, i) => periodsOverlap(stored[i], asked)).sort();
        expect(bySql).toEqual(byCode);
      }),
      { numRuns: 60 },
    );
  });
});

describe("partnershipIdentity and its SQL", () => {
  it("when random partnerships are stored, then each one's SQL identity is the code's, and alike ones share it", async () => {
    const partnership = fc.record({
      kind: fc.constantFrom(...Object.values(PartnershipKind)),
      members: fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { minLength: 2, maxLength: 6 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(partnership, { minLength: 1, maxLength: 6 }), async (stored) => {
        await database.db.query(`DELETE FROM partnerships`);
        const expected = new Map<string, string>();
        for (const p of stored) {
          const [{ id }] = await database.db.query(`INSERT INTO partnerships (kind) VALUES ($1) RETURNING id`, [p.kind]);
          // Members inserted in the random order given: the identity does not depend on it.
          await database.db.query(`INSERT INTO partnership_members (partnership_id, organization_id) SELECT $1, unnest($2::uuid[])`, [id, p.members.map((m) => orgs[m])]);
          expected.set(id, partnershipIdentity(p.kind, p.members.map((m) => orgs[m])));
        }
        const rows: { id: string; identity: string }[] = await database.db.query(`SELECT p.id, ${partnershipIdentitySql("p")} AS identity FROM partnerships p`);
        expect(new Map(rows.map((r) => [r.id, r.identity]))).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });
});
