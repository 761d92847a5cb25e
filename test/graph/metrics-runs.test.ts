import { freshDatabase, TestDatabase } from "../helpers/database";
import { generateNetwork } from "../../bench/generate";
import { GraphQueries } from "../../src/graph/graph-queries";
import { ReadModels } from "../../src/model/read-models";
import { UnavailableError } from "../../src/errors";
import { Computations } from "../../src/graph/computations";

// Whole-network metrics are long computations, one per profile, region and day: at most
// GRAPH_METRICS_RUNS run at once, as many again wait their turn, and more are refused at once
// with a 503 that says so, rather than all running together for as long as they take.
let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
  // Big enough that one computation lasts long after the other questions have arrived.
  await generateNetwork(database.db, { regions: 1, organizations: 1500, referrals: 15_000, seed: 3 });
}, 60_000);
afterAll(() => database.close());

describe("networkMetrics computations at once", () => {
  it("when more are asked than run and wait, then the extra one is refused with GRAPH_METRICS_RUNS, and the others are answered", async () => {
    const models = new ReadModels(database.db);
    const graph = new GraphQueries(models, new Computations(1));
    await models.current();
    const outcomes = await Promise.all(
      [20, 30, 40].map((age) => graph.networkMetrics({ profile: { age } }).then((answer) => answer.metrics.length, (error: unknown) => error)),
    );
    expect(outcomes[0]).toBe(1500); // ran
    expect(outcomes[1]).toBe(1500); // waited for the first, then ran
    expect(outcomes[2]).toBeInstanceOf(UnavailableError);
    expect((outcomes[2] as UnavailableError).message).toMatch(/GRAPH_METRICS_RUNS/);
    expect((outcomes[2] as UnavailableError).extensions).toMatchObject({ code: "INTERNAL_SERVER_ERROR", retryAfterSeconds: 30 });
    // Every turn was handed back: the next question runs.
    expect((await graph.networkMetrics({ profile: { age: 50 } })).metrics).toHaveLength(1500);
  }, 60_000);

  it("when the same question is asked again, then it shares the computation and takes no turn", async () => {
    const graph = new GraphQueries(new ReadModels(database.db), new Computations(1));
    const answers = await Promise.all([1, 2, 3].map(() => graph.networkMetrics({ profile: { age: 25 } })));
    expect(answers.map((a) => a.metrics.length)).toEqual([1500, 1500, 1500]);
  }, 60_000);
});

describe("the answers kept", () => {
  it("when many short questions follow a long one, then the long answer is still kept; one asked again is the last dropped", async () => {
    const computations = new Computations(1);
    let longRuns = 0;
    const long = () => computations.get("long", () => ++longRuns, { what: "a long one" });
    expect(await long()).toBe(1);
    let shortRuns = 0;
    const short = (i: number) => computations.get(`short ${i}`, () => ++shortRuns);
    for (let i = 0; i < 100; i++) await short(i);
    expect(await long()).toBe(1); // kept apart from the short ones: not computed again
    expect(longRuns).toBe(1);
    // Of the short ones, the last 64 are kept; 40 asked again goes to the end, so 64 more questions
    // drop 36..99 and 41..99 but not 40.
    shortRuns = 0;
    await short(40);
    expect(shortRuns).toBe(0);
    for (let i = 100; i < 163; i++) await short(i);
    shortRuns = 0;
    await short(40);
    await short(41);
    expect(shortRuns).toBe(1); // 41 was dropped, 40 was not
  });
});
