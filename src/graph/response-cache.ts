import { OperationDefinitionNode } from "graphql";
import { today } from "../referrals/referral.rules";

/**
 * Whether an operation may be answered from the cache: a query whose root selections are all
 * plain graph queries (`graphQueries`, the fields declared with GraphQuery: their answers depend
 * only on the stored version and the day) and `__typename`. Anything else — mutations, fragments
 * at the root, other fields whose answer might depend on who asks — is executed every time.
 */
export function isCacheableOperation(operation: OperationDefinitionNode, graphQueries: ReadonlySet<string>): boolean {
  if (operation.operation !== "query") return false;
  let graphFields = 0;
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== "Field") return false;
    if (graphQueries.has(selection.name.value)) graphFields++;
    else if (selection.name.value !== "__typename") return false;
  }
  return graphFields > 0;
}

export interface CachedResponse {
  /** The stored graph version the answer was computed at; any write moves it. */
  version: number;
  /**
   * The day its graph fields took as today (those asked without asOf), served on that day only;
   * null when every field gave asOf (the answer then holds on any day).
   */
  day: string | null;
  status: number;
  headers: Record<string, string>;
  /** Encoded once: a whole-network answer is megabytes. */
  body: Buffer;
}

/**
 * Whole HTTP answers of graph queries, by request (body and Accept header), least recently used
 * first out, bounded in bytes. An answer is served only while the stored graph version is the one
 * it was computed at, so a write through any process sharing the database retires it, and only on
 * the day it walked on, so yesterday's answer to a question without asOf is not served today. Whole-network
 * metrics at Europe scale are 20,000 rows: executing and serialising them again takes a few hundred
 * milliseconds, serving them from here well under ten (bench/).
 */
export class ResponseCache {
  private readonly entries = new Map<string, CachedResponse>();
  private bytes = 0;
  /** The newest version seen: answers computed at an older one can no longer be served. */
  private newest = 0;

  /** maxBytes 0 disables the cache. */
  constructor(private readonly maxBytes: number) {}

  get enabled(): boolean {
    return this.maxBytes > 0;
  }

  /** The cached answer to `key` if it was computed at `version` on `day`; a stale one is dropped. */
  get(key: string, version: number, day: string = today()): CachedResponse | undefined {
    this.seen(version);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.remove(key, entry);
    if (entry.version !== version || (entry.day !== null && entry.day !== day)) return undefined;
    this.entries.set(key, entry); // most recently used goes last
    this.bytes += this.sizeOf(key, entry);
    return entry;
  }

  /** Whether an answer to `key` is held, whatever its version: a hint that get() is worth a version read. */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  set(key: string, entry: CachedResponse): void {
    const size = this.sizeOf(key, entry);
    // One answer may take at most a quarter of the cache, so a few huge ones cannot flush the rest.
    if (!this.enabled || size > this.maxBytes / 4) return;
    this.seen(entry.version);
    if (entry.version < this.newest) return;
    const old = this.entries.get(key);
    if (old) this.remove(key, old);
    for (const [oldestKey, oldest] of this.entries) {
      if (this.bytes + size <= this.maxBytes) break;
      this.remove(oldestKey, oldest);
    }
    this.entries.set(key, entry);
    this.bytes += size;
  }

  /** Bytes held (keys counted at two bytes a character, as V8 may store them). */
  get size(): number {
    return this.bytes;
  }

  /**
   * A newer version drops every answer of older ones at once. Left in place until the bound pushed
   * them out, they kept the cache full (64 MB by default) under steady writes: memory held for
   * nothing, in buffers of every size that the allocator could not reuse well.
   */
  private seen(version: number): void {
    if (version <= this.newest) return;
    this.newest = version;
    for (const [key, entry] of this.entries) if (entry.version < version) this.remove(key, entry);
  }

  private remove(key: string, entry: CachedResponse): void {
    this.entries.delete(key);
    this.bytes -= this.sizeOf(key, entry);
  }

  private sizeOf(key: string, entry: CachedResponse): number {
    return 2 * key.length + entry.body.length + 200;
  }
}
