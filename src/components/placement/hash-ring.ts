/**
 * The consistent-hash ring of the Dynamo paper (DeCandia et al., SOSP 2007, §4.2-4.3): each node
 * owns `vnodes` tokens (virtual nodes) at positions hashed from its name, a key hashes to a
 * position, and its preference list is the first N distinct nodes met walking clockwise from
 * there. Virtual nodes spread a node's share of the keys, so a node joining or leaving moves keys
 * from (or to) many nodes, each a little, rather than from one neighbour.
 *
 * `extendedList` goes on past the N home nodes, still in ring order: the fallbacks a sloppy
 * quorum writes to, with a hint, when a home node does not answer.
 *
 * Shared by Dynamo (its preference lists) and the placement module (which shards move on a join
 * or leave, data-moved.ts), so it lives in components. Pure and immutable: joining or leaving
 * returns a new ring. Positions come from FNV-1a (32
 * bits), so the ring depends on names only, never on the order nodes joined in; equal positions
 * (rare) are ordered by node name.
 */
import { assert } from '../../core/assert.js';
import type { NodeId } from '../../core/ids.js';

interface Token {
  readonly position: number;
  readonly node: NodeId;
}

/** FNV-1a over the string's UTF-16 code units: 32 bits, unsigned. */
export function ringHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const byPosition = (a: Token, b: Token): number =>
  a.position - b.position || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0);

export class Ring {
  private constructor(
    readonly vnodes: number,
    private readonly tokens: readonly Token[],
    readonly nodes: readonly NodeId[],
  ) {}

  static of(nodes: readonly NodeId[], vnodes: number): Ring {
    assert(Number.isSafeInteger(vnodes) && vnodes >= 1, () => `ring: bad vnodes ${vnodes}`);
    return nodes.reduce((ring, n) => ring.join(n), new Ring(vnodes, [], []));
  }

  /** The ring with `node`'s tokens added (no change if it is already a member). */
  join(node: NodeId): Ring {
    if (this.nodes.includes(node)) return this;
    const own = Array.from({ length: this.vnodes }, (_, i) => ({
      position: ringHash(`${node}#${i}`),
      node,
    }));
    const nodes = [...this.nodes, node].sort();
    return new Ring(this.vnodes, [...this.tokens, ...own].sort(byPosition), nodes);
  }

  /** The ring without `node`'s tokens. */
  leave(node: NodeId): Ring {
    if (!this.nodes.includes(node)) return this;
    const tokens = this.tokens.filter((t) => t.node !== node);
    return new Ring(
      this.vnodes,
      tokens,
      this.nodes.filter((n) => n !== node),
    );
  }

  /** Every member, in the order met walking clockwise from the key's position. */
  extendedList(key: string): NodeId[] {
    const out: NodeId[] = [];
    const count = this.tokens.length;
    if (count === 0) return out;
    const start = this.firstAtOrAfter(ringHash(key));
    for (let i = 0; i < count && out.length < this.nodes.length; i++) {
      const t = this.tokens[(start + i) % count] as Token;
      if (!out.includes(t.node)) out.push(t.node);
    }
    return out;
  }

  /** The key's preference list: its first `n` distinct nodes clockwise (fewer if the ring is). */
  preferenceList(key: string, n: number): NodeId[] {
    return this.extendedList(key).slice(0, n);
  }

  /** The index of the first token at or after `position`, wrapping to 0. */
  private firstAtOrAfter(position: number): number {
    let lo = 0;
    let hi = this.tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.tokens[mid] as Token).position < position) lo = mid + 1;
      else hi = mid;
    }
    return lo === this.tokens.length ? 0 : lo;
  }
}
