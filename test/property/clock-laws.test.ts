/**
 * Laws of the clocks in src/components/clocks. Vector-clock order is a partial order that agrees
 * with the pointwise definition (missing entries are 0), merge is the least upper bound, and
 * concurrency is symmetric — and with `vector-clock.ignore-missing-entries` on (catalogue #39),
 * those laws fail. Hybrid logical clocks never go backwards, stamp a receive after its message,
 * and stay within ε of the physical clock while clocks are synchronized within ε (Kulkarni et al.,
 * Theorem 1); a node refusing messages stamped more than ε ahead keeps that bound whatever a
 * broken peer sends. Dotted-version-vector sync is a join, and keeps exactly the writes no other
 * write had seen.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { compareDots, type Dot } from '../../src/components/clocks/dot.js';
import {
  type DottedValue,
  dvvJoin,
  dvvSync,
  dvvUpdate,
  type Siblings,
} from '../../src/components/clocks/dotted-version-vector.js';
import {
  compareHlc,
  HLC_ZERO,
  type Hlc,
  hlcReceive,
  hlcSend,
} from '../../src/components/clocks/hybrid-logical-clock.js';
import {
  type CausalOrder,
  VectorClock,
  type VectorClockOptions,
} from '../../src/components/clocks/vector-clock.js';

const RUNS = { numRuns: 300 };
const NODES = ['a', 'b', 'c', 'd'];

const clockArb = fc
  .array(fc.tuple(fc.constantFrom(...NODES), fc.integer({ min: 0, max: 3 })), { maxLength: 4 })
  .map((pairs) => VectorClock.from(Object.fromEntries(pairs)));

/** Three clocks, often ordered (b and c built on a), sometimes not. */
const triple = fc
  .tuple(clockArb, clockArb, clockArb, fc.boolean(), fc.boolean())
  .map(([a, x, y, chainB, chainC]) => {
    const b = chainB ? a.merge(x) : x;
    return [a, b, chainC ? b.merge(y) : y] as const;
  });

const BUGGY: VectorClockOptions = { bugs: new Set(['vector-clock.ignore-missing-entries']) };

/** The definition: a ≤ b when every entry of a is at most b's, a node missing counting as 0. */
function pointwise(a: VectorClock, b: VectorClock): CausalOrder {
  const le = NODES.every((n) => a.get(n) <= b.get(n));
  const ge = NODES.every((n) => a.get(n) >= b.get(n));
  return le && ge ? 'equal' : le ? 'before' : ge ? 'after' : 'concurrent';
}

const atMost = (o: CausalOrder) => o === 'before' || o === 'equal';
const INVERSE: Record<CausalOrder, CausalOrder> = {
  before: 'after',
  after: 'before',
  equal: 'equal',
  concurrent: 'concurrent',
};

/** Each law of the order, as a predicate over three clocks and the compare under test. */
const ORDER_LAWS: Record<
  string,
  (c: readonly [VectorClock, VectorClock, VectorClock], o: VectorClockOptions) => boolean
> = {
  'compare agrees with the pointwise definition': ([a, b], o) =>
    a.compare(b, o) === pointwise(a, b),
  reflexive: ([a], o) => a.compare(a, o) === 'equal',
  'antisymmetric, and concurrency is symmetric': ([a, b], o) =>
    b.compare(a, o) === INVERSE[a.compare(b, o)] && (a.compare(b, o) !== 'equal' || a.equals(b)),
  transitive: ([a, b, c], o) =>
    !(atMost(a.compare(b, o)) && atMost(b.compare(c, o))) || atMost(a.compare(c, o)),
  'merge is the least upper bound': ([a, b, c], o) => {
    const m = a.merge(b);
    const upper = atMost(a.compare(m, o)) && atMost(b.compare(m, o));
    const least = !(atMost(a.compare(c, o)) && atMost(b.compare(c, o))) || atMost(m.compare(c, o));
    return upper && least;
  },
};

describe('vector clocks', () => {
  for (const [title, law] of Object.entries(ORDER_LAWS)) {
    test.prop([triple], RUNS)(title, (clocks) => {
      expect(law(clocks, {})).toBe(true);
    });
  }

  describe('with vector-clock.ignore-missing-entries (#39)', () => {
    const failsWithBug = (law: (typeof ORDER_LAWS)[string]) =>
      fc.check(
        fc.property(triple, (c) => law(c, BUGGY)),
        { numRuns: 2000, seed: 5 },
      ).failed;
    it('compare no longer agrees with the definition', () => {
      expect(failsWithBug(ORDER_LAWS['compare agrees with the pointwise definition']!)).toBe(true);
    });
    it('antisymmetry and symmetric concurrency fail', () => {
      expect(failsWithBug(ORDER_LAWS['antisymmetric, and concurrency is symmetric']!)).toBe(true);
    });
    it('reflexivity still holds: the bug needs an entry on one side only', () => {
      expect(failsWithBug(ORDER_LAWS.reflexive!)).toBe(false);
    });
  });
});

/** An event at a node: a local event or send, or the receive of an earlier send. */
type HlcEvent =
  | { readonly node: number; readonly kind: 'send'; readonly advanceUs: number }
  | {
      readonly node: number;
      readonly kind: 'receive';
      readonly from: number;
      readonly advanceUs: number;
    };

const EPSILON_US = 50;

const hlcEvents = fc.array(
  fc.oneof(
    fc.record({
      node: fc.nat(2),
      kind: fc.constant('send' as const),
      advanceUs: fc.nat(20),
    }),
    fc.record({
      node: fc.nat(2),
      kind: fc.constant('receive' as const),
      from: fc.nat(40),
      advanceUs: fc.nat(20),
    }),
  ),
  { maxLength: 60 },
);

/** Offsets from true time within ±ε/2, so any two physical clocks are within ε. */
const offsets = fc.tuple(
  fc.integer({ min: -EPSILON_US / 2, max: EPSILON_US / 2 }),
  fc.integer({ min: -EPSILON_US / 2, max: EPSILON_US / 2 }),
  fc.integer({ min: -EPSILON_US / 2, max: EPSILON_US / 2 }),
);

interface HlcTrace {
  /** Per node, its timestamps in order, each with its physical clock reading. */
  readonly stamps: { hlc: Hlc; pt: number }[][];
  /** Receives: the message's timestamp and the receiver's after it. */
  readonly receives: { sent: Hlc; after: Hlc }[];
  readonly refused: number;
}

/**
 * Plays events in true time. `pt` of a node is true time plus its offset, never going back; a
 * message is a send picked among those already made, so its delay is arbitrary. `remoteLeadUs`
 * pushes every message's `l` that far ahead, as a peer with a broken clock would.
 */
function playHlc(
  events: readonly HlcEvent[],
  offset: readonly number[],
  maxOffsetUs: number | undefined,
  remoteLeadUs = 0,
): HlcTrace {
  const clocks = [HLC_ZERO, HLC_ZERO, HLC_ZERO];
  const pts = [0, 0, 0];
  const stamps: { hlc: Hlc; pt: number }[][] = [[], [], []];
  const sent: Hlc[] = [];
  const receives: { sent: Hlc; after: Hlc }[] = [];
  let refused = 0;
  let now = 100;
  for (const e of events) {
    now += e.advanceUs;
    const pt = Math.max(pts[e.node] as number, now + (offset[e.node] as number));
    pts[e.node] = pt;
    const clock = clocks[e.node] as Hlc;
    const m = e.kind === 'receive' ? sent[e.from % Math.max(1, sent.length)] : undefined;
    if (m === undefined) {
      clocks[e.node] = hlcSend(clock, pt);
      sent.push({ ...(clocks[e.node] as Hlc), l: (clocks[e.node] as Hlc).l + remoteLeadUs });
    } else {
      const r = hlcReceive(clock, m, pt, maxOffsetUs === undefined ? {} : { maxOffsetUs });
      if (!r.ok) {
        refused++;
        continue;
      }
      clocks[e.node] = r.clock;
      receives.push({ sent: m, after: r.clock });
    }
    stamps[e.node]?.push({ hlc: clocks[e.node] as Hlc, pt });
  }
  return { stamps, receives, refused };
}

const increasing = (xs: readonly { hlc: Hlc }[]) =>
  xs.every((x, i) => i === 0 || compareHlc((xs[i - 1] as { hlc: Hlc }).hlc, x.hlc) < 0);

describe('hybrid logical clocks', () => {
  test.prop([hlcEvents, offsets], RUNS)(
    'each node stamps its events in increasing order',
    (events, offset) => {
      expect(playHlc(events, offset, undefined).stamps.every(increasing)).toBe(true);
    },
  );

  test.prop([hlcEvents, offsets], RUNS)(
    'a receive is stamped after its message',
    (events, offset) => {
      const { receives } = playHlc(events, offset, undefined);
      expect(receives.every((r) => compareHlc(r.sent, r.after) < 0)).toBe(true);
    },
  );

  test.prop([hlcEvents, offsets], RUNS)(
    'clocks within ε: l − pt ≤ ε, and no message is refused at max offset ε',
    (events, offset) => {
      const trace = playHlc(events, offset, EPSILON_US);
      expect(trace.refused).toBe(0);
      for (const s of trace.stamps.flat()) expect(s.hlc.l - s.pt).toBeLessThanOrEqual(EPSILON_US);
    },
  );

  test.prop([hlcEvents, offsets, fc.integer({ min: 0, max: 10 * EPSILON_US })], RUNS)(
    'a peer far ahead is refused, so l − pt stays ≤ the max offset',
    (events, offset, leadUs) => {
      const trace = playHlc(events, offset, EPSILON_US, leadUs);
      expect(trace.stamps.every(increasing)).toBe(true);
      for (const s of trace.stamps.flat()) expect(s.hlc.l - s.pt).toBeLessThanOrEqual(EPSILON_US);
    },
  );

  it('without a max offset, a peer far ahead drags the clock along (the bound can fail)', () => {
    const bounded = fc.property(hlcEvents, offsets, (events, offset) =>
      playHlc(events, offset, undefined, 10 * EPSILON_US)
        .stamps.flat()
        .every((s) => s.hlc.l - s.pt <= EPSILON_US),
    );
    expect(fc.check(bounded, { numRuns: 300, seed: 3 }).failed).toBe(true);
  });

  test.prop([fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 30 })], RUNS)(
    'monotone even when the physical clock steps back',
    (pts) => {
      let clock = HLC_ZERO;
      const stamps = pts.map((pt) => {
        clock = hlcSend(clock, pt);
        return { hlc: clock };
      });
      expect(increasing(stamps)).toBe(true);
    },
  );
});

type DvvAction =
  | { readonly kind: 'put'; readonly replica: number; readonly read: 'own' | 'blind' | number }
  | { readonly kind: 'sync'; readonly from: number; readonly to: number };

const dvvActions = fc.array(
  fc.oneof(
    fc.record({
      kind: fc.constant('put' as const),
      replica: fc.nat(2),
      read: fc.oneof(fc.constantFrom('own' as const, 'blind' as const), fc.nat(2)),
    }),
    fc.record({ kind: fc.constant('sync' as const), from: fc.nat(2), to: fc.nat(2) }),
  ),
  { maxLength: 20 },
);

/**
 * Clients write through three replicas, each having read that replica ('own'), nothing ('blind')
 * or another replica (a stale read); the replicas sync pairwise.
 */
function playDvv(actions: readonly DvvAction[]) {
  const replicas: Siblings<number>[] = [[], [], []];
  const writes: DottedValue<number>[] = [];
  actions.forEach((a, i) => {
    if (a.kind === 'sync') {
      replicas[a.to] = dvvSync(replicas[a.to] ?? [], replicas[a.from] ?? []);
      return;
    }
    const read = a.read === 'own' ? a.replica : a.read === 'blind' ? undefined : a.read;
    const context = read === undefined ? VectorClock.EMPTY : dvvJoin(replicas[read] ?? []);
    const next = dvvUpdate(replicas[a.replica] ?? [], context, `n${a.replica + 1}`, i);
    const written = next.find((s) => s.value === i) as DottedValue<number>;
    writes.push(written);
    replicas[a.replica] = next;
  });
  return { replicas: replicas as [Siblings<number>, Siblings<number>, Siblings<number>], writes };
}

const dots = (s: Siblings<number>): Dot[] => s.map((x) => x.dot);
const sameDots = (x: Siblings<number>, y: Siblings<number>) =>
  JSON.stringify(dots(x)) === JSON.stringify(dots(y));

describe('dotted version vectors', () => {
  test.prop([dvvActions], RUNS)('sync is commutative, associative and idempotent', (actions) => {
    const [a, b, c] = playDvv(actions).replicas;
    expect(sameDots(dvvSync(a, b), dvvSync(b, a))).toBe(true);
    expect(sameDots(dvvSync(dvvSync(a, b), c), dvvSync(a, dvvSync(b, c)))).toBe(true);
    expect(sameDots(dvvSync(a, a), a)).toBe(true);
  });

  test.prop([dvvActions], RUNS)(
    'every dot is unique, and all synced keep the writes no write saw',
    (actions) => {
      const { replicas, writes } = playDvv(actions);
      const all = replicas.reduce((x, y) => dvvSync(x, y));
      const unique = new Set(writes.map((w) => `${w.dot.node}:${w.dot.counter}`));
      expect(unique.size).toBe(writes.length);
      const maximal = writes.filter((w) => !writes.some((o) => o !== w && o.context.covers(w.dot)));
      expect(dots(all)).toEqual(maximal.map((w) => w.dot).sort(compareDots));
    },
  );
});
