// The analyses the explorer shows as views, each asked of the API with what the graph was drawn
// with (`shown`: region, profile, day). Each returns the answer to draw; views.js draws it.
import { ask } from "./api.js";
import { VOCABULARY_GROUPS } from "./words.js";

/** The views that need one region (the gap matrix and the age cliffs are a region's). */
export const NEEDS_REGION = new Set(["coverage", "cliffs"]);

export const ANALYSES = {
  /** The gap matrix at the profile's age (any age without one), from an organization when given. */
  async coverage({ region, profile, asOf }, { from }) {
    const age = profile?.age ?? null;
    const data = await ask(
      `query Coverage($region: String!, $groups: [TargetGroup!], $ages: [Int!], $from: ID, $asOf: Date) {
        coverage(region: $region, targetGroups: $groups, ages: $ages, from: $from, asOf: $asOf) {
          category targetGroup age providerCount reachableCount providers { name }
        }
      }`,
      { region, groups: VOCABULARY_GROUPS.targetGroups, ages: age === null ? null : [age], from, asOf },
    );
    return { cells: data.coverage, age, from };
  },

  async cliffs({ region, profile, asOf }) {
    const data = await ask(
      `query Cliffs($region: String!, $group: TargetGroup, $asOf: Date) {
        ageCliffs(region: $region, targetGroup: $group, asOf: $asOf) { age category providersBefore providersAfter lost { name } }
      }`,
      { region, group: profile?.targetGroup ?? null, asOf },
    );
    return data.ageCliffs;
  },

  async summary({ region, profile, asOf }) {
    const data = await ask(
      `query Summary($region: String, $profile: ProfileInput, $asOf: Date) {
        networkSummary(region: $region, profile: $profile, asOf: $asOf) {
          organizationCount referralCount density reciprocity components largestComponent inDegreeCentralization outDegreeCentralization
          brokers { name } isolated { name }
        }
      }`,
      { region, profile, asOf },
    );
    return data.networkSummary;
  },

  /** The region's platforms (all, for every region) with their roundtables and what changed before each. */
  async changes({ region, profile }) {
    // The platforms first (a short list), then each of the region's with its roundtables: asked
    // at once for every platform, the changes would cost more than the server lets one query.
    const { platforms } = await ask(`{ platforms { id region { slug } } }`);
    const answers = await Promise.all(platforms.filter((p) => !region || p.region.slug === region).map((p) => ask(
      `query Changes($id: ID!, $profile: ProfileInput) {
        platform(id: $id) { name meetings { id title date networkChanges(profile: $profile) {
          opened { from { name } to { name } categories } closed { from { name } to { name } categories }
          before { organizationCount referralCount components } after { organizationCount referralCount components }
        } } }
      }`,
      { id: p.id, profile },
    )));
    return answers.map((a) => a.platform).filter(Boolean);
  },
};
