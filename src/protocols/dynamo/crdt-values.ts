/**
 * CRDT values per key (`resolution: crdt`, Riak's data types; Shapiro et al. 2011): a key's
 * value is a CRDT state instead of siblings. A coordinator applies its client's operation to the
 * state it holds as a delta mutator (Almeida et al. 2018) and ships the state; every replica,
 * read repair, hinted handoff and anti-entropy join states, so concurrent writes never become
 * siblings. The CRDT types are components/crdt's, the operations the crdt protocol's bindings.
 *
 * A key holds one version: its state as canonical JSON, its context the clock of every write
 * joined into it (each write still gets a coordinator's dot, which the clock records), and its
 * dot the greatest of those, so two replicas that joined the same writes hold the same version
 * whatever the order. The clock is what anti-entropy and the convergence checker compare: a
 * node's writes to a key reach a replica inside whole states, so covering a node's dot n means
 * holding every earlier write of that node too.
 */
import { compareDots } from '../../components/clocks/dot.js';
import type { AnyCrdtType, Json } from '../../components/crdt/crdt-type.js';
import type { NodeId } from '../../core/ids.js';
import type { CounterInput, SetInput } from '../../core/replicated-ops.js';
import type { Version, Versions } from './versions.js';

export const CRDT_TYPES = ['pn-counter', 'or-set'] as const;
export type DynamoCrdtType = (typeof CRDT_TYPES)[number];

/** The workload whose operations each type takes (the crdt protocol's bindings). */
export const WORKLOAD_OF_TYPE: Readonly<Record<DynamoCrdtType, string>> = {
  'pn-counter': 'counter',
  'or-set': 'set',
};

/** A counter or set operation, on `key` when the workload spreads its clients over keys. */
export type KeyedCrdtInput = (CounterInput | SetInput) & { readonly key?: string };

/** The key of a workload with no keys: one counter or set, as the crdt protocol's. */
export const DEFAULT_KEY = 'k0';

export const isCrdtInput = (op: { readonly f: string }): op is KeyedCrdtInput =>
  ['inc', 'dec', 'add', 'remove', 'read'].includes(op.f);

const stateOf = (t: AnyCrdtType, v: Version | undefined): unknown =>
  v === undefined ? t.empty() : t.decode(JSON.parse(v.value) as Json);

const encoded = (t: AnyCrdtType, state: unknown): string => JSON.stringify(t.encode(state));

/** Versions joined into one: the join of their states, the union of their clocks. */
export function joinStates(t: AnyCrdtType, vs: readonly Version[]): Versions {
  const [first, ...rest] = vs;
  if (first === undefined) return [];
  if (rest.length === 0 && !first.context.covers(first.dot)) return [clocked(first)];
  if (rest.length === 0) return vs;
  let state = stateOf(t, first);
  let clock = first.context.with(first.dot.node, first.dot.counter);
  let dot = first.dot;
  for (const v of rest) {
    state = t.merge(state, stateOf(t, v));
    clock = clock.merge(v.context).with(v.dot.node, v.dot.counter);
    if (compareDots(v.dot, dot) > 0) dot = v.dot;
  }
  return [{ dot, context: clock, value: encoded(t, state), ts: first.ts }];
}

/** A single version whose context does not yet record its own dot (a fresh write's delta). */
const clocked = (v: Version): Version => ({
  ...v,
  context: v.context.with(v.dot.node, v.dot.counter),
});

/** The delta of `op` applied at `node` to the key's state, as a version's value. */
export function deltaValue(t: AnyCrdtType, vs: Versions, op: unknown, node: NodeId): string {
  return encoded(t, t.apply(stateOf(t, vs[0]), op, { node }).delta);
}

/** What a get returns: the state's value (a number, or the set's elements sorted). */
export const crdtValue = (t: AnyCrdtType, vs: Versions): unknown => t.value(stateOf(t, vs[0]));
