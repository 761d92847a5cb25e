import type { ServiceRow } from "./rows";

// An organization's services in a file, merged into the stored ones: a service is known by its
// name within its organization.

/** A service as stored and as a file gives it, without its organization and position. */
export type StoredService = Omit<ServiceRow, "organizationId" | "position">;

/**
 * A file's service with what it leaves out taken from `match`, the stored service it stands for
 * (an organization's services are told apart by name): a field absent keeps what is stored, as
 * for every other record of a file. A new service's absent fields are simply absent (none, no bound).
 */
export function withStoredFields(service: Record<string, any>, match: StoredService | undefined): Record<string, any> {
  if (!match) return service;
  const eligibility = service.eligibility;
  const given = Object.fromEntries(Object.entries(service).filter(([, v]) => v !== undefined));
  const merged: Record<string, any> = { category: match.category, description: match.description, ...given };
  if (eligibility === undefined || (eligibility !== null && typeof eligibility === "object" && !Array.isArray(eligibility))) {
    merged.eligibility = { targetGroups: match.targetGroups, minAge: match.minAge, maxAge: match.maxAge, ...eligibility };
  }
  return merged;
}

/**
 * The stored service each of a file's services stands for: the k-th of a name in the file is the
 * k-th of that name stored (names need not be unique; both lists are in position order).
 */
export function storedMatches(given: unknown[], stored: readonly StoredService[]): (StoredService | undefined)[] {
  const byName = new Map<string, StoredService[]>();
  for (const s of stored) (byName.get(s.name) ?? byName.set(s.name, []).get(s.name)!).push(s);
  return given.map((service) => {
    const name = service !== null && typeof service === "object" ? (service as { name?: unknown }).name : undefined;
    return typeof name === "string" ? byName.get(name.trim())?.shift() : undefined;
  });
}
