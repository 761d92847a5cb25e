// A dashboard's query with a typed client: `npm run examples` generates the types from
// schema/schema.graphql (GraphQL Code Generator) and compiles this; then
//   node examples/dist/dashboard.js http://127.0.0.1:4000/graphql correze
import { request } from "graphql-request";
import { RegionDashboardDocument } from "./generated/graphql.js";

/** "1 referral", "2 referrals". */
const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const names = (list: readonly { name: string }[]) => (list.length ? list.map((o) => o.name).join(", ") : "none");

export async function regionDashboard(url: string, region: string): Promise<string[]> {
  // The answer is typed from the schema: a renamed field is a compile error here, not a blank chart.
  const data = await request(url, RegionDashboardDocument, { region });
  const services = data.organizations.edges.reduce((n, edge) => n + edge.node.services.length, 0);
  const reach = Math.max(0, ...data.networkMetrics.map((m) => m.downstreamReach));
  const farthest = data.networkMetrics.filter((m) => m.downstreamReach === reach).map((m) => m.organization);
  const summary = data.networkSummary;
  return [
    `${region}: ${count(data.network.organizations.length, "organization")}, ${count(data.network.referrals.length, "walkable referral")}, ${count(services, "service")}`,
    ...data.network.referrals.map((r) => `  ${r.from.slug} -> ${r.to.slug} (${r.categories.join(", ")}, ${r.status})`),
    reach > 0 ? `reaches most (${count(reach, "organization")} downstream): ${names(farthest)}` : "no organization reaches another",
    `${count(summary.components, "component")}, density ${summary.density.toFixed(2)}; isolated: ${names(summary.isolated)}; brokers (whose leaving splits the network): ${names(summary.brokers)}`,
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
