/**
 * What the CRDT property tests share: every type under test with a generator of its operations
 * (small domains, so updates collide on the same elements, keys and positions), and a little
 * replication run — three replicas taking updates and merging each other's full states, each
 * with its own skewed physical clock and HLC — that records every update's delta and what it had
 * seen, as a replication protocol would hand them to the convergence checker.
 */
import fc from 'fast-check';
import { VectorClock } from '../../src/components/clocks/vector-clock.js';
import {
  HLC_ZERO,
  hlcReceive,
  hlcSend,
  type Hlc,
} from '../../src/components/clocks/hybrid-logical-clock.js';
import type { AnyCrdtType, SpecUpdate } from '../../src/components/crdt/crdt-type.js';
import { crdtTypeNamed } from '../../src/components/crdt/crdt-types.js';

const REPLICAS = ['n1', 'n2', 'n3'] as const;
/** Each replica's physical clock offset, in the units of a step: n2 runs ahead, n3 behind. */
const SKEW = [0, 25, -15];

const element = fc.constantFrom('a', 'b', 'c');
const key = fc.constantFrom('k', 'l');
const setOp = fc.record({ f: fc.constantFrom('add', 'remove'), element });
const registerOp = fc.record({ f: fc.constant('set'), value: fc.integer({ min: 0, max: 3 }) });
const counterOp = fc.record({
  f: fc.constantFrom('inc', 'dec'),
  by: fc.integer({ min: 0, max: 3 }),
});
const rgaOp = fc.oneof(
  fc.record({ f: fc.constant('insert'), index: fc.nat(6), text: fc.constantFrom('x', 'y', 'zw') }),
  fc.record({ f: fc.constant('delete'), index: fc.nat(6), count: fc.integer({ min: 1, max: 2 }) }),
);

const orMapOp = (inner: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { arbitrary: fc.record({ f: fc.constant('update'), key, op: inner }), weight: 4 },
    { arbitrary: fc.record({ f: fc.constant('remove'), key }), weight: 1 },
  );

/** Every type under test, by name, with its operations. */
const OPS: Readonly<Record<string, fc.Arbitrary<unknown>>> = {
  'g-counter': counterOp.map((o) => ({ f: 'inc', by: o.by })),
  'pn-counter': counterOp,
  'g-set': element.map((e) => ({ f: 'add', element: e })),
  '2p-set': setOp,
  'or-set': setOp,
  'lww-register': registerOp,
  'mv-register': registerOp,
  rga: rgaOp,
  'or-map<or-set>': orMapOp(setOp),
  'or-map<mv-register>': orMapOp(registerOp),
  'or-map<or-map<or-set>>': orMapOp(orMapOp(setOp)),
};

export const TYPE_NAMES = Object.keys(OPS);

export function typeNamed(name: string, bugs: readonly string[] = []): AnyCrdtType {
  const type = crdtTypeNamed(name, { bugs: new Set(bugs) });
  if (type === undefined) throw new Error(`no type ${name}`);
  return type;
}

export type Action =
  | { readonly kind: 'apply'; readonly replica: number; readonly op: unknown }
  | { readonly kind: 'sync'; readonly from: number; readonly to: number };

const replica = fc.integer({ min: 0, max: REPLICAS.length - 1 });

/** A run: updates at random replicas, interleaved with full-state merges between them. */
export function actionsArb(name: string, maxLength = 24): fc.Arbitrary<Action[]> {
  const op = OPS[name] as fc.Arbitrary<unknown>;
  const apply = fc.record({ kind: fc.constant('apply' as const), replica, op });
  const sync = fc.record({ kind: fc.constant('sync' as const), from: replica, to: replica });
  return fc.array(fc.oneof({ arbitrary: apply, weight: 3 }, { arbitrary: sync, weight: 2 }), {
    maxLength,
  });
}

interface ReplicaState {
  state: unknown;
  /** The updates applied here, as a vector clock over update dots. */
  seen: VectorClock;
  hlc: Hlc;
}

interface RecordedUpdate {
  readonly replica: number;
  readonly before: unknown;
  readonly delta: unknown;
  readonly after: unknown;
  readonly update: SpecUpdate<unknown>;
}

export interface Run {
  readonly replicas: ReplicaState[];
  readonly updates: RecordedUpdate[];
}

/** Plays `actions` on three replicas of `type`. */
export function play(type: AnyCrdtType, actions: readonly Action[]): Run {
  const replicas: ReplicaState[] = REPLICAS.map(() => ({
    state: type.empty(),
    seen: VectorClock.EMPTY,
    hlc: HLC_ZERO,
  }));
  const updates: RecordedUpdate[] = [];
  actions.forEach((a, step) => {
    const pt = (r: number) => Math.max(0, step * 10 + (SKEW[r] as number));
    if (a.kind === 'sync') {
      const from = replicas[a.from] as ReplicaState;
      const to = replicas[a.to] as ReplicaState;
      to.state = type.merge(to.state, from.state);
      to.seen = to.seen.merge(from.seen);
      const received = hlcReceive(to.hlc, from.hlc, pt(a.to));
      if (received.ok) to.hlc = received.clock;
      return;
    }
    const r = replicas[a.replica] as ReplicaState;
    const node = REPLICAS[a.replica] as string;
    r.hlc = hlcSend(r.hlc, pt(a.replica));
    const { state, delta } = type.apply(r.state, a.op, { node, timestamp: r.hlc });
    const dot = { node, counter: r.seen.get(node) + 1 };
    const update = { op: a.op, dot, seen: r.seen, timestamp: r.hlc };
    updates.push({ replica: a.replica, before: r.state, delta, after: state, update });
    r.state = state;
    r.seen = r.seen.increment(node);
  });
  return { replicas, updates };
}

/** Every replica's state merged into one. */
function joinAll(type: AnyCrdtType, run: Run): unknown {
  return run.replicas.reduce((acc: unknown, r) => type.merge(acc, r.state), type.empty());
}

/** The updates visible at a replica whose deliveries are `seen`. */
const visibleAt = (run: Run, seen: VectorClock): SpecUpdate<unknown>[] =>
  run.updates.filter((u) => seen.covers(u.update.dot)).map((u) => u.update);

/** A law over a run: undefined when it holds, else what broke. */
export type Law = (type: AnyCrdtType, run: Run) => string | undefined;

const same = (type: AnyCrdtType, x: unknown, y: unknown, what: string) =>
  type.equals(x, y)
    ? undefined
    : `${what}: ${type.diff(x, y) ?? 'equals says no, diff finds nothing'}`;

const finals = (run: Run) => run.replicas.map((r) => r.state) as [unknown, unknown, unknown];

export const commutative: Law = (type, run) => {
  const [a, b] = finals(run);
  return same(type, type.merge(a, b), type.merge(b, a), 'merge(a, b) vs merge(b, a)');
};

export const associative: Law = (type, run) => {
  const [a, b, c] = finals(run);
  const left = type.merge(type.merge(a, b), c);
  return same(type, left, type.merge(a, type.merge(b, c)), '(a ⊔ b) ⊔ c vs a ⊔ (b ⊔ c)');
};

export const idempotent: Law = (type, run) => {
  const [a] = finals(run);
  return (
    same(type, type.merge(a, a), a, 'merge(a, a) vs a') ??
    same(type, type.merge(a, type.empty()), a, 'merge(a, empty) vs a')
  );
};

/** apply's contract: the new state is the old one joined with the delta. */
export const applyJoinsDelta: Law = (type, run) => {
  for (const u of run.updates) {
    const broken = same(type, type.merge(u.before, u.delta), u.after, 'before ⊔ delta vs after');
    if (broken !== undefined) return broken;
  }
  return undefined;
};

/**
 * The δ-mutator law of Almeida et al.: any state Y that includes the state an update was applied
 * to gets the update from the delta exactly as from the whole new state.
 */
export const deltaLikeState: Law = (type, run) => {
  for (const u of run.updates) {
    const other = (run.replicas[(u.replica + 1) % REPLICAS.length] as ReplicaState).state;
    const y = type.merge(u.before, other);
    const broken = same(type, type.merge(y, u.delta), type.merge(y, u.after), 'Y ⊔ delta vs Y ⊔ X');
    if (broken !== undefined) return broken;
  }
  return undefined;
};

/** Every replica reads what the specification says of the updates it has seen. */
export const meetsSpec: Law = (type, run) => {
  const all = run.replicas.map((r) => ({ state: r.state, seen: r.seen }));
  const seenByAll = run.replicas.reduce((s, r) => s.merge(r.seen), VectorClock.EMPTY);
  all.push({ state: joinAll(type, run), seen: seenByAll });
  for (const { state, seen } of all) {
    const got = JSON.stringify(type.value(state));
    const want = JSON.stringify(type.spec(visibleAt(run, seen)));
    if (got !== want) return `replica with ${seen.toString()} reads ${got}, spec says ${want}`;
  }
  return undefined;
};

/** equals, diff and hash agree, and a state survives encoding through JSON text. */
export const comparable: Law = (type, run) => {
  const [a, b] = finals(run);
  for (const [x, y] of [
    [a, b],
    [a, a],
    [b, type.merge(a, b)],
  ]) {
    const equal = type.equals(x, y);
    if (equal !== (type.diff(x, y) === undefined)) return 'equals and diff disagree';
    if (equal !== (type.hash(x) === type.hash(y))) return 'equals and hash disagree';
  }
  const decoded = type.decode(JSON.parse(JSON.stringify(type.encode(a))));
  return (
    same(type, decoded, a, 'decode(encode(a)) vs a') ??
    (type.hash(decoded) === type.hash(a) ? undefined : 'hash changed by encoding')
  );
};

/**
 * Every replica order of the same deliveries converges: all deltas, some twice, merged into two
 * fresh replicas in two orders drawn from `keys`, give the join of every replica's state.
 */
export function deliveryOrders(keys: readonly number[]): Law {
  return (type, run) => {
    const deltas = run.updates.map((u) => u.delta);
    const key = (i: number) => keys[i % Math.max(1, keys.length)] ?? 0;
    const order = (salt: number) =>
      deltas
        .map((d, i) => ({ d, k: (key(i) * (salt + 1)) % 97, i }))
        .concat(
          deltas.slice(0, key(0) % (deltas.length + 1)).map((d, i) => ({ d, k: key(i + 1), i })),
        )
        .sort((x, y) => x.k - y.k || x.i - y.i)
        .map((x) => x.d);
    const fold = (ds: unknown[]) => ds.reduce((s: unknown, d) => type.merge(s, d), type.empty());
    const want = joinAll(type, run);
    return (
      same(type, fold(order(0)), want, 'deltas in one order vs every replica joined') ??
      same(type, fold(order(1)), want, 'deltas in another order vs every replica joined')
    );
  };
}
