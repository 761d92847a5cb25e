import { Faults, InputError } from "../../src/errors";
import { requiredText, slugValue } from "../../src/domain/validate";
import { periodFaults, periodsOverlap, walkableOn } from "../../src/referrals/referral.rules";

describe("Faults: every wrong field at once", () => {
  it("when three checks refuse, then one InputError lists the three, the message naming the first", () => {
    const faults = new Faults();
    faults.check(() => requiredText("", "input.name"));
    const ok = faults.check(() => requiredText("MOSAIK", "input.description"));
    faults.check(() => slugValue("Not A Slug", "input.slug"));
    faults.add("input.website", "is not a URL");
    expect(ok).toBe("MOSAIK");
    let thrown: unknown;
    try {
      faults.throwIfAny();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputError);
    const error = thrown as InputError;
    expect(error.fields.map((f) => f.field)).toEqual(["input.name", "input.slug", "input.website"]);
    expect(error.extensions.fields).toEqual(error.fields);
    expect(error.message).toMatch(/^input\.name: must not be empty \(and 2 more wrong fields/);
  });

  it("when nothing is wrong, then throwIfAny does nothing; other errors are not swallowed", () => {
    const faults = new Faults();
    expect(faults.check(() => 1)).toBe(1);
    expect(() => faults.throwIfAny()).not.toThrow();
    expect(() => faults.check(() => { throw new TypeError("bug"); })).toThrow(TypeError);
  });
});

describe("referral period rules", () => {
  it("walkable on D when since <= D <= until, open ends included", () => {
    expect(walkableOn({ since: null, until: null }, "2026-01-01")).toBe(true);
    expect(walkableOn({ since: "2026-01-02", until: null }, "2026-01-01")).toBe(false);
    expect(walkableOn({ since: "2026-01-01", until: "2026-01-01" }, "2026-01-01")).toBe(true);
    expect(walkableOn({ since: null, until: "2025-12-31" }, "2026-01-01")).toBe(false);
  });

  it("ENDED needs until; until before since is refused; both faults at once", () => {
    expect(periodFaults({ status: "ACTIVE", since: null, until: null })).toEqual([]);
    expect(periodFaults({ status: "ENDED", since: null, until: null }).map((f) => f.field)).toEqual(["until"]);
    const both = periodFaults({ status: "ACTIVE", since: "2026-02-01", until: "2026-01-01" }, { status: "input.status", until: "input.until" });
    expect(both).toEqual([{ field: "input.until", reason: "must not be before since (2026-01-01 < 2026-02-01)" }]);
  });

  it("periods overlap when they share a day", () => {
    expect(periodsOverlap({ since: null, until: "2026-01-01" }, { since: "2026-01-01", until: null })).toBe(true);
    expect(periodsOverlap({ since: null, until: "2025-12-31" }, { since: "2026-01-01", until: null })).toBe(false);
  });
});
