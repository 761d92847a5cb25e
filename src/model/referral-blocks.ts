import type { ReferralEdge } from "./nodes";

// The read model's referrals by number, in blocks of BLOCK_SIZE shared between versions: a patch
// copies only the blocks it writes into. Copying whole arrays at every write (420 KB at 20,000
// referrals, 2 MB at 100,000) made the process's malloc heap grow for as long as writes went on:
// buffers of many sizes, freed only when V8 collects its old generation, with long-lived blocks in
// between that keep the space from going back. Blocks are all of one size, which malloc hands out
// again as they are.

export const BLOCK_BITS = 10;
export const BLOCK_SIZE = 1 << BLOCK_BITS;
export const BLOCK_MASK = BLOCK_SIZE - 1;

/** Bytes per referral in a block's buffer: from, to, since, until (4 each), minAge, maxAge (2 each), groups (1). */
const BYTES = 21;

/** BLOCK_SIZE referrals: their records and, for the walks, their numbers in typed arrays over one buffer. */
export class ReferralBlock {
  /** By position in the block: the record, or undefined where no referral of this number exists in this version. */
  readonly edges: (ReferralEdge | undefined)[];
  /** Organization numbers of the two ends. */
  readonly from: Int32Array;
  readonly to: Int32Array;
  /** Day numbers (src/model/encoding.ts): ALWAYS_SINCE and NEVER_UNTIL where open. */
  readonly since: Int32Array;
  readonly until: Int32Array;
  /** Age bounds: NO_MIN_AGE and NO_MAX_AGE where open. */
  readonly minAge: Int16Array;
  readonly maxAge: Int16Array;
  /** Target groups as GROUP_BIT bits, 0 for all. */
  readonly groups: Uint8Array;

  /** An empty block, or a copy of `source` to write into. */
  constructor(source?: ReferralBlock) {
    const buffer = new ArrayBuffer(BLOCK_SIZE * BYTES);
    if (source) new Uint8Array(buffer).set(new Uint8Array(source.from.buffer));
    this.edges = source ? source.edges.slice() : new Array<ReferralEdge | undefined>(BLOCK_SIZE).fill(undefined);
    this.from = new Int32Array(buffer, 0, BLOCK_SIZE);
    this.to = new Int32Array(buffer, 4 * BLOCK_SIZE, BLOCK_SIZE);
    this.since = new Int32Array(buffer, 8 * BLOCK_SIZE, BLOCK_SIZE);
    this.until = new Int32Array(buffer, 12 * BLOCK_SIZE, BLOCK_SIZE);
    this.minAge = new Int16Array(buffer, 16 * BLOCK_SIZE, BLOCK_SIZE);
    this.maxAge = new Int16Array(buffer, 18 * BLOCK_SIZE, BLOCK_SIZE);
    this.groups = new Uint8Array(buffer, 20 * BLOCK_SIZE, BLOCK_SIZE);
  }
}

/**
 * The blocks of the next version, while a patch writes it: the previous version's blocks until one
 * is written into, then a copy made once. The previous version never sees the writes.
 */
export class BlockWriter {
  private readonly blocks: ReferralBlock[];
  private readonly copied = new Set<number>();

  constructor(previous: readonly ReferralBlock[]) {
    this.blocks = previous.slice();
  }

  /** The block holding referral `r`, ready to be written into. */
  writable(r: number): ReferralBlock {
    const b = r >>> BLOCK_BITS;
    while (this.blocks.length <= b) {
      this.copied.add(this.blocks.length);
      this.blocks.push(new ReferralBlock());
    }
    if (!this.copied.has(b)) {
      this.blocks[b] = new ReferralBlock(this.blocks[b]);
      this.copied.add(b);
    }
    return this.blocks[b];
  }

  /** The blocks as written so far. */
  get current(): readonly ReferralBlock[] {
    return this.blocks;
  }
}
