// Dominator trees (Lengauer and Tarjan 1979, the simple version with path compression,
// O(m log n)): node d dominates w from the root when every path from the root to w passes d.
// One instance serves many roots over the same graph; each run resets only what it touched.

export class Dominators {
  /** Preorder of the last run: vertex[i] is the node reached i-th (vertex[0] the root). */
  readonly vertex: Int32Array;
  /** Immediate dominator of each node reached by the last run (the root's is itself). */
  readonly idom: Int32Array;
  /** Free for the caller, one number per node (nothing here reads or resets it). */
  readonly scratch: Float64Array;

  private readonly succStart: Int32Array;
  private readonly succ: Int32Array;
  private readonly predStart: Int32Array;
  private readonly pred: Int32Array;
  private readonly dfnum: Int32Array;
  private readonly parent: Int32Array;
  private readonly semi: Int32Array;
  private readonly ancestor: Int32Array;
  private readonly label: Int32Array;
  private readonly bucketHead: Int32Array;
  private readonly bucketNext: Int32Array;
  private readonly stackNode: Int32Array;
  private readonly stackArc: Int32Array;
  private readonly path: Int32Array;
  private reached = 0;

  /** `successors[v]`: the arcs leaving node v (nodes 0..successors.length-1). */
  constructor(successors: readonly (readonly number[])[]) {
    const n = successors.length;
    this.succStart = new Int32Array(n + 1);
    for (let v = 0; v < n; v++) this.succStart[v + 1] = this.succStart[v] + successors[v].length;
    this.succ = new Int32Array(this.succStart[n]);
    const predCount = new Int32Array(n + 1);
    for (let v = 0; v < n; v++) {
      this.succ.set(successors[v], this.succStart[v]);
      for (const w of successors[v]) predCount[w + 1]++;
    }
    this.predStart = new Int32Array(n + 1);
    for (let v = 0; v < n; v++) this.predStart[v + 1] = this.predStart[v] + predCount[v + 1];
    this.pred = new Int32Array(this.predStart[n]);
    const fill = this.predStart.slice(0, n);
    for (let v = 0; v < n; v++) for (const w of successors[v]) this.pred[fill[w]++] = v;
    this.dfnum = new Int32Array(n).fill(-1);
    this.ancestor = new Int32Array(n).fill(-1);
    this.bucketHead = new Int32Array(n).fill(-1);
    this.vertex = new Int32Array(n);
    this.idom = new Int32Array(n);
    this.scratch = new Float64Array(n);
    this.parent = new Int32Array(n);
    this.semi = new Int32Array(n);
    this.label = new Int32Array(n);
    this.bucketNext = new Int32Array(n);
    this.stackNode = new Int32Array(n);
    this.stackArc = new Int32Array(n);
    this.path = new Int32Array(n);
  }

  /**
   * Dominators from `root`, walking only the arcs `allow` lets through. Returns how many nodes the
   * root reaches: vertex[0..count) in preorder, and idom of each of them.
   */
  run(root: number, allow: (v: number, w: number) => boolean = () => true): number {
    const { vertex, idom, succStart, succ, predStart, pred, dfnum, parent, semi, ancestor, label, bucketHead, bucketNext, stackNode, stackArc } = this;
    for (let i = 0; i < this.reached; i++) {
      const v = vertex[i];
      dfnum[v] = -1;
      ancestor[v] = -1;
      bucketHead[v] = -1;
    }
    // Depth-first numbering, without recursion.
    let count = 0;
    let top = 0;
    dfnum[root] = count;
    vertex[count++] = root;
    semi[root] = 0;
    label[root] = root;
    stackNode[0] = root;
    stackArc[0] = succStart[root];
    while (top >= 0) {
      const v = stackNode[top];
      const i = stackArc[top];
      if (i >= succStart[v + 1]) {
        top--;
        continue;
      }
      stackArc[top] = i + 1;
      const w = succ[i];
      if (dfnum[w] >= 0 || !allow(v, w)) continue;
      dfnum[w] = count;
      vertex[count++] = w;
      parent[w] = v;
      semi[w] = dfnum[w];
      label[w] = w;
      top++;
      stackNode[top] = w;
      stackArc[top] = succStart[w];
    }
    this.reached = count;

    for (let i = count - 1; i > 0; i--) {
      const w = vertex[i];
      for (let k = predStart[w]; k < predStart[w + 1]; k++) {
        const v = pred[k];
        if (dfnum[v] < 0 || !allow(v, w)) continue;
        const u = this.evaluate(v);
        if (semi[u] < semi[w]) semi[w] = semi[u];
      }
      const s = vertex[semi[w]];
      bucketNext[w] = bucketHead[s];
      bucketHead[s] = w;
      const p = parent[w];
      ancestor[w] = p;
      for (let v = bucketHead[p]; v >= 0; v = bucketNext[v]) {
        const u = this.evaluate(v);
        idom[v] = semi[u] < semi[v] ? u : p;
      }
      bucketHead[p] = -1;
    }
    idom[root] = root;
    for (let i = 1; i < count; i++) {
      const w = vertex[i];
      if (idom[w] !== vertex[semi[w]]) idom[w] = idom[idom[w]];
    }
    return count;
  }

  /** The node of least semidominator on v's path to the root of its linked tree, compressing the path. */
  private evaluate(v: number): number {
    const { ancestor, label, semi, path } = this;
    if (ancestor[v] < 0) return v;
    let depth = 0;
    for (let u = v; ancestor[ancestor[u]] >= 0; u = ancestor[u]) path[depth++] = u;
    // From the node nearest the root down to v, as the recursive compression unwinds.
    while (depth > 0) {
      const u = path[--depth];
      const a = ancestor[u];
      if (semi[label[a]] < semi[label[u]]) label[u] = label[a];
      ancestor[u] = ancestor[a];
    }
    return label[v];
  }
}
