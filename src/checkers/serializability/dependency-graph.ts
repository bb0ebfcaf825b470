/**
 * Adya's direct serialization graph over transactions (ICDE 2000, §3): an edge T1 → T2 says T1
 * must come before T2 in any serial order, labelled with why. ww: T2 overwrote (appended after)
 * T1's version; wr: T2 read T1's version; rw: T1 read a version T2 then replaced (an
 * anti-dependency). Each edge keeps one witness per label, enough for an Elle-style sentence.
 */

export const WW = 1;
export const WR = 2;
export const RW = 4;

/** A reason for an edge: the key and the values that show it. */
export interface Witness {
  readonly key: string;
  /** ww: the earlier writer's value; wr and rw: the value read or not read. */
  readonly value: string;
  /** ww: the later writer's value. */
  readonly value2?: string;
}

export interface Edge {
  types: number;
  ww?: Witness;
  wr?: Witness;
  rw?: Witness;
}

export class DependencyGraph {
  /** Out-edges of each node (a transaction's position in the history). */
  readonly out: Map<number, Edge>[];

  constructor(readonly size: number) {
    this.out = Array.from({ length: size }, () => new Map());
  }

  /** Adds `type` (WW, WR or RW) from `a` to `b`; a transaction's edge to itself says nothing. */
  add(a: number, b: number, type: number, witness: Witness): void {
    if (a === b) return;
    const edges = this.out[a]!;
    let e = edges.get(b);
    if (e === undefined) {
      e = { types: 0 };
      edges.set(b, e);
    }
    if ((e.types & type) !== 0) return;
    e.types |= type;
    if (type === WW) e.ww = witness;
    else if (type === WR) e.wr = witness;
    else e.rw = witness;
  }

  edgeCount(): number {
    let n = 0;
    for (const m of this.out) n += m.size;
    return n;
  }
}
