/**
 * Partition shapes, after Jepsen's nemeses: halves, random halves, isolating one node, the
 * non-transitive bridge, and the majorities ring in which every node sees a majority but no two
 * see the same one. A shape is a connectivity matrix over the cluster's nodes; a one-way
 * partition cuts only the messages from the first side to the others. `links` names the cut
 * node pairs themselves, so any matrix (a bridge or a ring drawn earlier included) can be
 * written down and replayed exactly.
 *
 * Clients are not part of a partition unless the scenario places them (`workload.placement`):
 * then each client shares the links of the node it sits beside, so a random partition carries
 * it with that node, and explicit components may name clients to put them on a side of their
 * own choosing (`[[n1, n2, c1], [n3, c2]]`). `clientLinks` turns a cut and the placement into
 * the client links it drops.
 */
import { assert } from '../core/assert.js';
import type { Prng } from '../core/prng.js';

export type PartitionShape = 'halves' | 'random-halves' | 'isolate' | 'bridge' | 'majorities-ring';

export interface PartitionSpec {
  readonly shape: PartitionShape | 'explicit' | 'links';
  /** For `isolate`: the node index to isolate (random when absent). */
  readonly node?: number;
  /** For `explicit`: the components, as node indices. */
  readonly components?: readonly (readonly number[])[];
  /** For `explicit`: the clients named in each component, as indices (placed clients only). */
  readonly clientComponents?: readonly (readonly number[])[];
  /** For `links`: the node pairs that cannot talk (both ways, or from → to when one-way). */
  readonly links?: readonly (readonly [number, number])[];
  /** One-way: only messages from the first component (or the isolated node) to others are cut; for `links`, only from → to. */
  readonly oneWay?: boolean;
}

/** A cut over n nodes: `cut[from * n + to] === 1` drops messages from `from` to `to`. */
export interface Cut {
  readonly n: number;
  readonly matrix: Uint8Array;
  /** A readable form, e.g. `n1 n2 | n3 n4 n5`. */
  readonly description: string;
  /** The sides, when the cut was made from them (halves, isolate, explicit components). */
  readonly components?: readonly (readonly number[])[];
  /** The clients an explicit entry named in each component (the others go with their node). */
  readonly clientComponents?: readonly (readonly number[])[];
  /** Only messages leaving the first component (or, for links, from → to) are cut. */
  readonly oneWay?: boolean;
}

export function makeCut(n: number, spec: PartitionSpec, rng: Prng): Cut {
  assert(n >= 2, 'a partition needs at least two nodes');
  const order = Array.from({ length: n }, (_, i) => i);
  switch (spec.shape) {
    case 'halves':
      return fromComponents(
        n,
        [order.slice(0, Math.floor(n / 2)), order.slice(Math.floor(n / 2))],
        spec.oneWay,
      );
    case 'random-halves': {
      rng.shuffle(order);
      const k = Math.floor(n / 2);
      return fromComponents(
        n,
        [order.slice(0, k).sort(num), order.slice(k).sort(num)],
        spec.oneWay,
      );
    }
    case 'isolate': {
      const victim = typeof spec.node === 'number' ? spec.node : rng.int(0, n - 1);
      return fromComponents(n, [[victim], order.filter((i) => i !== victim)], spec.oneWay);
    }
    case 'explicit':
      assert(spec.components !== undefined, 'explicit partition without components');
      return fromComponents(n, spec.components, spec.oneWay, spec.clientComponents);
    case 'links':
      assert(spec.links !== undefined, 'links partition without links');
      return fromLinks(n, spec.links, spec.oneWay);
    case 'bridge':
      return bridgeCut(n, rng.shuffle(order));
    case 'majorities-ring':
      return majoritiesRingCut(n, rng.shuffle(order));
  }
}

/** The directed links a cut drops, as `[from, to]` in (from, to) order: the whole matrix. */
export function blockedLinks(cut: Cut): [number, number][] {
  const out: [number, number][] = [];
  for (let a = 0; a < cut.n; a++)
    for (let b = 0; b < cut.n; b++) if (cut.matrix[a * cut.n + b] === 1) out.push([a, b]);
  return out;
}

export const nodeName = (i: number): string => `n${i + 1}`;
const num = (a: number, b: number): number => a - b;

function fromComponents(
  n: number,
  components: readonly (readonly number[])[],
  oneWay = false,
  clientComponents?: readonly (readonly number[])[],
): Cut {
  const side = new Int32Array(n).fill(-1);
  components.forEach((c, k) => {
    for (const i of c) side[i] = k;
  });
  const matrix = new Uint8Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      if (a === b || side[a] === side[b]) continue;
      // Nodes in no component keep all their links; one-way cuts only messages leaving side 0.
      if (side[a] === -1 || side[b] === -1) continue;
      if (oneWay && side[a] !== 0) continue;
      matrix[a * n + b] = 1;
    }
  }
  const names = (c: readonly number[], k: number) => [
    ...c.map(nodeName),
    ...(clientComponents?.[k] ?? []).map(clientName),
  ];
  const text = components.map((c, k) => names(c, k).join(' ')).join(oneWay ? ' -/-> ' : ' | ');
  const named = clientComponents?.some((c) => c.length > 0) === true;
  return {
    n,
    matrix,
    description: text,
    components,
    oneWay,
    ...(named ? { clientComponents } : {}),
  };
}

export const clientName = (i: number): string => `c${i + 1}`;

/**
 * The client links a cut drops, for clients placed beside the nodes `home`: entry
 * `(c * n + m) * 2` is 1 when messages from client c to node m are dropped, `+ 1` when those
 * from m to c are. A client named in a component is on that component's side (reaching nodes in
 * no component, as nodes do); any other client shares its node's links and always reaches it.
 */
export function clientLinks(cut: Cut, home: readonly number[]): Uint8Array {
  const n = cut.n;
  const out = new Uint8Array(home.length * n * 2);
  const named = new Int32Array(home.length).fill(-1);
  cut.clientComponents?.forEach((c, k) => {
    for (const i of c) named[i] = k;
  });
  const nodeSide = new Int32Array(n).fill(-1);
  cut.components?.forEach((c, k) => {
    for (const i of c) nodeSide[i] = k;
  });
  home.forEach((h, c) => {
    const k = named[c] as number;
    for (let m = 0; m < n; m++) {
      const at = (c * n + m) * 2;
      if (k < 0) {
        out[at] = m !== h && cut.matrix[h * n + m] === 1 ? 1 : 0;
        out[at + 1] = m !== h && cut.matrix[m * n + h] === 1 ? 1 : 0;
        continue;
      }
      const j = nodeSide[m] as number;
      if (j < 0 || j === k) continue;
      out[at] = !cut.oneWay || k === 0 ? 1 : 0;
      out[at + 1] = !cut.oneWay || j === 0 ? 1 : 0;
    }
  });
  return out;
}

function fromLinks(n: number, links: readonly (readonly [number, number])[], oneWay = false): Cut {
  const matrix = new Uint8Array(n * n);
  for (const [a, b] of links) {
    assert(
      a !== b && a >= 0 && b >= 0 && a < n && b < n,
      `link ${a}-${b} outside a cluster of ${n}`,
    );
    matrix[a * n + b] = 1;
    if (!oneWay) matrix[b * n + a] = 1;
  }
  const text = links
    .map(([a, b]) => `${nodeName(a)} ${oneWay ? '-x->' : '-x-'} ${nodeName(b)}`)
    .join(', ');
  return { n, matrix, description: text === '' ? 'no links cut' : text };
}

/**
 * Two halves that cannot talk, and one node in the middle that talks to both: `order[0]` is the
 * middle, the next floor((n-1)/2) nodes the left half, the rest the right.
 */
export function bridgeCut(n: number, order: readonly number[]): Cut {
  assert(n >= 3, 'a bridge partition needs at least three nodes');
  const middle = order[0] as number;
  const rest = order.slice(1);
  const k = Math.floor(rest.length / 2);
  const left = rest.slice(0, k).sort(num);
  const right = rest.slice(k).sort(num);
  const matrix = new Uint8Array(n * n);
  for (const a of left) {
    for (const b of right) {
      matrix[a * n + b] = 1;
      matrix[b * n + a] = 1;
    }
  }
  return {
    n,
    matrix,
    description: `${left.map(nodeName).join(' ')} | ${nodeName(middle)} (bridge) | ${right.map(nodeName).join(' ')}`,
  };
}

/** Nodes in a ring, each linked to its nearest neighbours so it sees exactly a bare majority. */
export function majoritiesRingCut(n: number, ring: readonly number[]): Cut {
  const majority = Math.floor(n / 2) + 1;
  const reach = Math.ceil((majority - 1) / 2);
  const matrix = new Uint8Array(n * n).fill(1);
  for (let p = 0; p < n; p++) {
    const a = ring[p] as number;
    matrix[a * n + a] = 0;
    for (let d = 1; d <= reach; d++) {
      const b1 = ring[(p + d) % n] as number;
      const b2 = ring[(p - d + n) % n] as number;
      matrix[a * n + b1] = 0;
      matrix[b1 * n + a] = 0;
      matrix[a * n + b2] = 0;
      matrix[b2 * n + a] = 0;
    }
  }
  return { n, matrix, description: `majorities ring ${ring.map(nodeName).join('-')}` };
}
