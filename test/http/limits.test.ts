import { getIntrospectionQuery } from "graphql";
import { startTestApp, TestApp } from "../helpers/app";
import { graphqlClient } from "../helpers/http";

// Each limit, at its default unless said: a query just inside it is answered, one just outside is
// refused with GRAPHQL_VALIDATION_FAILED and a message naming the limit's setting.

let app: TestApp;
let base: string;
const serve = async (env: Record<string, string> = {}) => (await app.listen(env)).graphql;

beforeAll(async () => {
  app = await startTestApp({ seed: true });
  base = await serve();
});
afterAll(() => app.close());

const post = (url: string, body: unknown) => graphqlClient(url).post(body);
const ask = (query: string, variables: Record<string, unknown> = {}, url = base) => post(url, { query, variables });

function expectAnswered(result: { status: number; body: any }) {
  expect(result.body.errors).toBeUndefined();
  expect(result.status).toBe(200);
  expect(result.body.data).toBeTruthy();
}
function expectRefused(result: { status: number; body: any }, setting: string) {
  expect(result.status).toBe(400);
  expect(result.body.data).toBeUndefined();
  expect(result.body.errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
  expect(result.body.errors[0].message).toContain(setting);
}

const repeat = (n: number, make: (i: number) => string) => Array.from({ length: n }, (_, i) => make(i)).join(" ");

describe("query limits", () => {
  it("when a query is 10 levels deep it is answered; at 11, MAX_QUERY_DEPTH refuses it", async () => {
    const url = await serve({ MAX_QUERY_COST: "1000000" }); // nested lists cost 10^levels: depth alone is tested here
    // organization (1) name (2); each referralsOut { to { ... } } adds two levels.
    const levels = (inner: string) => `{ organization(id: "chemins-singuliers") { ${"referralsOut { to { ".repeat(4)}${inner}${" } }".repeat(4)} } }`;
    expectAnswered(await ask(levels("name"), {}, url));
    const refused = await ask(levels("referralsOut { id }"), {}, url);
    expectRefused(refused, "MAX_QUERY_DEPTH");
    expect(refused.body.errors[0].message).toMatch(/depth limit of 10 exceeded, found 11/);
  });

  it("when a query has 15 aliases it is answered; with 16, MAX_ALIASES refuses it", async () => {
    expectAnswered(await ask(`{ ${repeat(15, (i) => `a${i}: regions { slug }`)} }`));
    expectRefused(await ask(`{ ${repeat(16, (i) => `a${i}: regions { slug }`)} }`), "MAX_ALIASES");
  });

  it("when a query has 50 directives it is answered; with 51, MAX_DIRECTIVES refuses it", async () => {
    expectAnswered(await ask(`{ ${repeat(50, () => "__typename @skip(if: false)")} }`));
    expectRefused(await ask(`{ ${repeat(51, () => "__typename @skip(if: false)")} }`), "MAX_DIRECTIVES");
  });

  it("when a document has 2,000 tokens it is answered; with 2,001, MAX_QUERY_TOKENS refuses it", async () => {
    // 16 tokens around a list of n enum values (commas are not tokens).
    const kinds = (n: number) => `{ organizations(filter: { kinds: [${"NGO, ".repeat(n)}] }) { totalCount } }`;
    expectAnswered(await ask(kinds(1984)));
    expectRefused(await ask(kinds(1985)), "MAX_QUERY_TOKENS");
  });

  it("when a page's cost reaches MAX_QUERY_COST it is answered; one more page item is refused, priced through variables", async () => {
    // organizations(first: n) { edges { node { slug } } }: 1 + n * (1 + (1 + 1)) = 1 + 3n.
    const url = await serve({ MAX_QUERY_COST: String(1 + 3 * 5) });
    const query = `query($n: Int) { organizations(first: $n) { edges { node { slug } } } }`;
    expectAnswered(await ask(query, { n: 5 }, url));
    const refused = await ask(query, { n: 6 }, url);
    expectRefused(refused, "MAX_QUERY_COST");
    expect(refused.body.errors[0].message).toContain(`cost of ${1 + 3 * 6} is over the limit of ${1 + 3 * 5}`);
  });

  it("when a graph query asks the contract's largest search it is answered by default; four of them at once are over the cost", async () => {
    const pathways = (alias: string) =>
      `${alias}: pathways(from: "chemins-singuliers", toCategory: LANGUAGE_LEARNING, maxHops: 8, limit: 100) { hops organizations { slug } }`;
    expectAnswered(await ask(`{ ${pathways("one")} }`));
    const four = (hops: number) => repeat(4, (i) => pathways(`p${i}`).replace("maxHops: 8", `maxHops: ${hops}`));
    expectRefused(await ask(`{ ${four(8)} }`), "MAX_QUERY_COST");
    // The price follows the hops: the same four at maxHops 4 are fine.
    expectAnswered(await ask(`{ ${four(4)} }`));
  });

  describe("an argument outside its documented range is BAD_USER_INPUT naming it, before any cost refusal", () => {
    const PATHWAYS = `pathways(from: "chemins-singuliers", toCategory: LANGUAGE_LEARNING`;
    // [argument named, the query with the value written in, the same with a variable, the variables]
    const cases: [string, string, string, Record<string, unknown>][] = [
      ["first", `{ organizations(first: 100000) { edges { node { slug services { name } } } } }`, `query($v: Int) { organizations(first: $v) { edges { node { slug services { name } } } } }`, { v: 100000 }],
      ["first", `{ referrals(first: 0) { totalCount } }`, `query($v: Int) { referrals(first: $v) { totalCount } }`, { v: 0 }],
      ["maxHops", `{ ${PATHWAYS}, maxHops: 50) { hops } }`, `query($v: Int) { ${PATHWAYS}, maxHops: $v) { hops } }`, { v: 50 }],
      ["limit", `{ ${PATHWAYS}, limit: 1000) { hops } }`, `query($v: Int) { ${PATHWAYS}, limit: $v) { hops } }`, { v: 1000 }],
      ["maxDepth", `{ referralChain(organization: "mosaik", maxDepth: 99) { referrals { id } } }`, `query($v: Int) { referralChain(organization: "mosaik", maxDepth: $v) { referrals { id } } }`, { v: 99 }],
      ["profile.age", `{ network(profile: { age: 300 }) { referrals { id } } }`, `query($v: Int) { network(profile: { age: $v }) { referrals { id } } }`, { v: 300 }],
      ["profile.age", `{ ${PATHWAYS}, maxHops: 8, limit: 100, profile: { age: -1 }) { hops } }`, `query($v: ProfileInput) { ${PATHWAYS}, profile: $v) { hops } }`, { v: { age: 121 } }],
      ["filter.profile.age", `{ organizations(filter: { profile: { age: 300 } }) { totalCount } }`, `query($v: OrganizationFilter) { organizations(filter: $v) { totalCount } }`, { v: { profile: { age: 300 } } }],
    ];

    function expectNamed(result: { status: number; body: any }, argument: string) {
      expect(result.status).toBe(400);
      expect(result.body.data).toBeUndefined();
      const [error] = result.body.errors;
      expect(error.extensions.code).toBe("BAD_USER_INPUT");
      expect(error.message).toMatch(new RegExp(`^${argument.replace(/\./g, "\\.")}: must be a whole number`));
      expect(error.message).not.toMatch(/cost/i);
      expect(error.extensions.fields).toEqual([{ field: argument, reason: expect.stringMatching(/from -?\d+ to \d+, got -?\d+/) }]);
    }

    it.each(cases.map(([argument, literal]) => [argument, literal]))("when %s is out of range in the query text (%s), then it is named", async (argument, literal) => {
      expectNamed(await ask(literal), argument);
    });

    it.each(cases.map(([argument, , query, variables]) => [argument, query, variables]))("when %s is out of range through a variable (%s), then it is named", async (argument, query, variables) => {
      expectNamed(await ask(query, variables as Record<string, unknown>), argument);
    });

    it("when several arguments are out of range, then every one is listed", async () => {
      const result = await ask(`{ ${PATHWAYS}, maxHops: 9, limit: 101, profile: { age: 130 }) { hops } organizations(first: 101) { totalCount } }`);
      expect(result.body.errors[0].extensions.fields.map((f: any) => f.field).sort()).toEqual(["first", "limit", "maxHops", "profile.age"]);
    });

    it("when the arguments are at the ends of their ranges, then the operation is priced as usual and answered", async () => {
      expectAnswered(await ask(`{ organizations(first: 100) { totalCount } referrals(first: 1) { totalCount } }`));
      expectAnswered(await ask(`{ ${PATHWAYS}, maxHops: 1, limit: 1, profile: { age: 0 }) { hops } }`));
      expectAnswered(await ask(`{ referralChain(organization: "mosaik", maxDepth: 0) { referrals { id } } network(profile: { age: 120 }) { referrals { id } } }`));
    });
  });

  it("when batching is off (the default), then a JSON array is refused with a message saying so", async () => {
    const refused = await post(base, [{ query: "{ __typename }" }, { query: "{ __typename }" }]);
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].message).toContain("MAX_BATCH");
  });

  it("when MAX_BATCH is 3, then a batch of 3 is answered and one of 4 refused", async () => {
    const url = await serve({ MAX_BATCH: "3" });
    const batch = (n: number) => Array.from({ length: n }, () => ({ query: `{ region(slug: "correze") { name } }` }));
    const answered = await post(url, batch(3));
    expect(answered.status).toBe(200);
    expect(answered.body).toEqual([1, 2, 3].map(() => ({ data: { region: { name: "Corrèze" } } })));
    const refused = await post(url, batch(4));
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].message).toMatch(/at most 3 operations \(MAX_BATCH\); this one holds 4/);
  });

  it("when a field is misspelt, then the error does not suggest the schema's names", async () => {
    const result = await ask(`{ organisations { slug } }`);
    expect(result.status).toBe(400);
    expect(result.body.errors[0].message).toContain("organisations");
    expect(result.body.errors[0].message).not.toMatch(/Did you mean/i);
  });

  it("when a tool's introspection query is asked where introspection is on, then it is answered; a circular one is refused", async () => {
    const url = await serve({ INTROSPECTION: "true" });
    // The fullest of graphql-js's, as GraphiQL and code generators send it: over 50,000 if priced by list sizes.
    const full = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true, oneOf: true });
    const answered = await ask(full, {}, url);
    expectAnswered(answered);
    expect(answered.body.data.__schema.queryType).toEqual({ name: "Query", kind: "OBJECT" });
    // Lists nested in lists of types: graphql-js's MaxIntrospectionDepthRule bounds them, cost or not.
    const circular = await ask(`{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }`, {}, url);
    expect(circular.status).toBe(400);
    expect(circular.body.errors[0].message).toMatch(/Maximum introspection depth exceeded/);
    // Each __schema or __type is priced INTROSPECTION_COST (2,000): aliased copies of the tool's query add up past the limit.
    const fields = full.slice(full.indexOf("__schema"), full.lastIndexOf("}", full.indexOf("fragment") - 1));
    const aliased = `query Many { ${Array.from({ length: 13 }, (_, i) => `s${i}: ${fields}`).join(" ")} }${full.slice(full.indexOf("fragment") - 1)}`;
    const many = await ask(aliased, {}, url);
    expect(many.status).toBe(400);
    expect(many.body.errors[0].message).toMatch(/its cost of 260\d\d is over the limit of 25000/);
  });

  it("when introspection is asked in production, then it is refused unless INTROSPECTION=true", async () => {
    const refused = await ask(`{ __schema { queryType { name } } }`);
    expect(refused.body.errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(refused.body.errors[0].message).toMatch(/introspection/i);
    const open = await ask(`{ __schema { queryType { name } } }`, {}, await serve({ INTROSPECTION: "true" }));
    expect(open.body).toEqual({ data: { __schema: { queryType: { name: "Query" } } } });
  });
});
