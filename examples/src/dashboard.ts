// A dashboard's query with a typed client: `npm run examples` generates the types from
// schema/schema.graphql (GraphQL Code Generator) and compiles this; then
//   node examples/dist/dashboard.js http://127.0.0.1:4000/graphql correze
import { request } from "graphql-request";
import { RegionDashboardDocument, type RegionDashboardQuery } from "./generated/graphql.js";

type Metrics = RegionDashboardQuery["networkMetrics"][number];

export async function regionDashboard(url: string, region: string): Promise<string[]> {
  // The answer is typed from the schema: a renamed field is a compile error here, not a blank chart.
  const data = await request(url, RegionDashboardDocument, { region });
  const byBrokerage = [...data.networkMetrics].sort((a: Metrics, b: Metrics) => b.betweenness - a.betweenness || a.organization.slug.localeCompare(b.organization.slug));
  const services = data.organizations.edges.reduce((count, edge) => count + edge.node.services.length, 0);
  return [
    `${region}: ${data.network.organizations.length} organizations, ${data.network.referrals.length} walkable referrals, ${services} services`,
    ...data.network.referrals.map((r) => `  ${r.from.slug} -> ${r.to.slug} (${r.categories.join(", ")}, ${r.status})`),
    `most reach downstream: ${[...data.networkMetrics].sort((a, b) => b.downstreamReach - a.downstreamReach)[0]?.organization.name ?? "nobody"}`,
    `broker (betweenness): ${byBrokerage[0]?.organization.name ?? "nobody"}`,
  ];
}

const [url = "http://127.0.0.1:4000/graphql", region = "correze"] = process.argv.slice(2);
regionDashboard(url, region).then(
  (lines) => console.log(lines.join("\n")),
  (error: unknown) => {
    console.error(`dashboard: ${(error as Error).message}`);
    process.exit(1);
  },
);
