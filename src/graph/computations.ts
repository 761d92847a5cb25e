import { UnavailableError } from "../errors";
import { createLogger, Logger } from "../log";

// Graph answers computed once per model version and question, and shared: concurrent askers of
// the same question wait for one computation, and the answer is kept until the model moves on.
// The long ones (whole-network betweenness, criticality, communities) take a turn among
// GRAPH_METRICS_RUNS: without a bound, a client asking many of them at once would keep the
// process busy for hours.

/** Answers kept of each kind (long, short): past this many, the one asked longest ago is dropped. */
const KEPT = 64;

export class Computations {
  /**
   * Long answers (seconds to minutes of CPU) and short ones kept apart: a dashboard's many short
   * questions must not push out a whole-network betweenness, which would then be computed again.
   */
  private readonly kept = { long: new Map<string, Promise<unknown>>(), short: new Map<string, Promise<unknown>>() };
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    /** Long computations running at once (GRAPH_METRICS_RUNS); as many again may wait. */
    private readonly runs = 2,
    private readonly logger: Logger = createLogger("silent"),
  ) {}

  /**
   * The answer to `key` (which names the model version, the question and every argument): kept, or
   * computed now by `compute`. A `long` computation waits for a turn, or is refused with 503 and
   * Retry-After when as many wait as may run.
   */
  get<T>(key: string, compute: () => T | Promise<T>, long: { what: string; fields?: Record<string, unknown> } | false = false): Promise<T> {
    const kept = long ? this.kept.long : this.kept.short;
    const known = kept.get(key);
    if (known) {
      kept.delete(key); // asked again: the last to be dropped
      kept.set(key, known);
      return known as Promise<T>;
    }
    const started = performance.now();
    const answer = long
      ? this.turn(long.what).then(async () => {
          try {
            return await compute();
          } finally {
            this.turnEnded();
          }
        })
      : Promise.resolve().then(compute);
    if (long) {
      answer.then(() => this.logger.info(`${long.what} computed`, { ...long.fields, ms: Math.round(performance.now() - started) }), () => undefined);
    }
    if (kept.size >= KEPT) kept.delete(kept.keys().next().value!);
    kept.set(key, answer);
    answer.catch(() => kept.delete(key));
    return answer;
  }

  private async turn(what: string): Promise<void> {
    if (this.running < this.runs) {
      this.running++;
      return;
    }
    if (this.waiting.length >= this.runs) {
      throw new UnavailableError(
        `${this.running} long graph computations are running and ${this.waiting.length} waiting (GRAPH_METRICS_RUNS), ${what} would be one more: ` +
          "try again in a minute, ask for one region, or ask again for figures already computed (they are kept until the next write).",
        30,
      );
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve)); // the ending run hands its turn over
  }

  private turnEnded(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}

/** A computation that can pause: step(budgetMs) works for about that long and says whether it is done. */
export interface SteppedRun<T> {
  step(budgetMs: number): boolean;
  result(): T;
}

/** Runs it to the end at once (the tests, the small cases). */
export function runWhole<T>(run: SteppedRun<T>): T {
  run.step(Infinity);
  return run.result();
}

/**
 * Runs it in slices of about `sliceMs` with the event loop free in between: a whole-network
 * betweenness or a region's criticality is seconds of work, and other requests must not wait for it.
 */
export async function runInSlices<T>(run: SteppedRun<T>, sliceMs = 20): Promise<T> {
  while (!run.step(sliceMs)) await new Promise((resolve) => setImmediate(resolve));
  return run.result();
}
