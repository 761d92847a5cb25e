import fs from "node:fs";
import path from "node:path";
import { ROOT } from "../src/root";
import { startTestApp, TestApp } from "./helpers/app";

// The README's GraphQL examples are what a newcomer pastes first: each must run on the seed as written.
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const examples = [...README.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);

const CORREZE = ["chemins-singuliers", "entraide-pierre-valdo", "institut-don-bosco", "mission-locale", "mosaik"];
const slugs = (list: { slug: string }[]) => list.map((o) => o.slug);

/** What each README example must answer on the seed: the first whose root field it asks and whose `when` holds. */
const EXPECTED: { asks: string; when: (data: Record<string, any>) => boolean; then: (data: Record<string, any>) => void }[] = [
  {
    // A region's page: by name in code-point order ("MOSAIK" before "Mission Locale").
    asks: "organizations",
    when: (d) => d.organizations.totalCount !== undefined,
    then: (d) => {
      expect(d.organizations.totalCount).toBe(5);
      expect(slugs(d.organizations.edges.map((e: any) => e.node))).toEqual(["chemins-singuliers", "entraide-pierre-valdo", "institut-don-bosco", "mosaik", "mission-locale"]);
    },
  },
  // Language learning for a 19-year-old resettled refugee: MOSAIK's 16-25 programme only.
  { asks: "organizations", when: () => true, then: (d) => expect(slugs(d.organizations.edges.map((e: any) => e.node))).toEqual(["mosaik"]) },
  {
    asks: "referrals",
    when: () => true,
    then: (d) => {
      expect(d.referrals.totalCount).toBe(1);
      expect(d.referrals.edges.map((e: any) => `${e.node.from.name} -> ${e.node.to.name}`)).toEqual(["Chemins Singuliers -> MOSAIK"]);
    },
  },
  {
    asks: "platform",
    when: () => true,
    then: (d) => {
      expect(d.platform.coordinator.name).toBe("Entraide Pierre Valdo");
      expect(d.platform.members.map((m: any) => m.name)).toContain("MOSAIK");
      expect(d.platform.meetings[0]).toMatchObject({ date: "2021-09-23", format: "ONLINE", participantCount: 12 });
    },
  },
  { asks: "pathways", when: () => true, then: (d) => expect(d.pathways.map((p: any) => slugs(p.organizations))).toEqual([["chemins-singuliers", "mosaik"]]) },
  {
    asks: "referralChain",
    when: () => true,
    then: (d) => expect(d.referralChain.entries.map((e: any) => [e.depth, e.organization.name])).toEqual([[0, "MOSAIK"], [1, "Chemins Singuliers"]]),
  },
  {
    // The analyses: language courses one referral away at 19, none at 26; closing MOSAIK isolates Chemins Singuliers.
    asks: "coverage",
    when: () => true,
    then: (d) => {
      expect(d.coverage.map((c: any) => [c.age, c.providerCount, slugs(c.providers), c.reachableCount])).toEqual([[19, 1, ["mosaik"], 1], [26, 0, [], 0]]);
      expect(d.ageCliffs.map((c: any) => [c.age, c.category, slugs(c.lost)])).toContainEqual([26, "LANGUAGE_LEARNING", ["mosaik"]]);
      expect(d.closureImpact.routesLost).toContainEqual({ from: { slug: "chemins-singuliers" }, category: "LANGUAGE_LEARNING", hopsBefore: 1 });
      expect(slugs(d.closureImpact.isolated)).toEqual(["chemins-singuliers"]);
    },
  },
  {
    asks: "network",
    when: () => true,
    then: (d) => {
      expect(slugs(d.network.organizations)).toEqual(CORREZE);
      expect(d.network.referrals.map((r: any) => `${r.from.slug} -> ${r.to.slug}`)).toEqual(["chemins-singuliers -> mosaik"]);
    },
  },
];

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ seed: true });
});
afterAll(() => app.close());

describe("the README", () => {
  it("when its examples are counted, then there are some (the extraction works)", () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
  });

  it.each(examples.map((query, i) => [i + 1, query]))("when GraphQL example %i is run on the seed, then it answers without error what the Corrèze seed holds", async (_, query) => {
    const result = await app.execute(query as string, { region: "correze" });
    expect(result.errors).toBeUndefined();
    const data = result.data as Record<string, any>;
    const expected = EXPECTED.find((e) => e.asks === Object.keys(data)[0] && e.when(data));
    if (!expected) throw new Error(`README example ${_} asks ${Object.keys(data).join(", ")}: add what it must answer on the seed to EXPECTED`);
    expected.then(data);
  });
});
