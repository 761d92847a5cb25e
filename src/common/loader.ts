import DataLoader from "dataloader";

// DataLoader batch functions must answer in key order; these two shapes cover every loader here.

/** One value (or null) per key. */
export function oneByKey<V>(fetch: (keys: readonly string[]) => Promise<V[]>, keyOf: (value: V) => string) {
  return new DataLoader<string, V | null>(async (keys) => {
    const found = new Map((await fetch(keys)).map((value) => [keyOf(value), value]));
    return keys.map((key) => found.get(key) ?? null);
  });
}

/** A list (maybe empty) per key, in the order the fetch returned them. */
export function manyByKey<V>(fetch: (keys: readonly string[]) => Promise<V[]>, keyOf: (value: V) => string) {
  return new DataLoader<string, V[]>(async (keys) => {
    const groups = new Map<string, V[]>(keys.map((key) => [key, []]));
    for (const value of await fetch(keys)) groups.get(keyOf(value))?.push(value);
    return keys.map((key) => groups.get(key)!);
  });
}
