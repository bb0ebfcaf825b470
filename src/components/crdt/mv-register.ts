/**
 * The multi-value register (Shapiro et al. 2011, §3.2.2; Dynamo's and Riak's siblings): a write
 * replaces every value its replica has seen, and concurrent writes are all kept until a later
 * write that has seen them all replaces them. Shapiro et al. tag each value with a version
 * vector and keep those no other dominates; here, as in Almeida, Shoker, Baquero 2018 (§7.3) and
 * Riak's dotted version vectors (clocks/dotted-version-vector.ts), each value keeps only the dot
 * of its write and the register one causal context, the join of all those version vectors. A
 * value is dominated exactly when the other side's context covers its dot: the same order,
 * without a vector per value.
 *
 *   const t = mvRegister();
 *   const a = t.apply(t.empty(), { f: 'set', value: 'x' }, { node: 'n1' }).state;
 *   const b = t.apply(t.empty(), { f: 'set', value: 'y' }, { node: 'n2' }).state;
 *   const both = t.merge(a, b);
 *   t.value(both);                               // ['x', 'y']: concurrent, both kept
 *   t.value(t.apply(both, { f: 'set', value: 'z' }, { node: 'n1' }).state);   // ['z']
 *
 * Values are any JSON; a read returns them sorted by their canonical JSON (duplicates kept: two
 * concurrent writes of one value are two siblings). A write may carry a client's causal context,
 * the dots of the siblings the client read (`siblingDots`), as Dynamo's and Riak's clients do:
 * it then replaces exactly those, and a sibling written concurrently, which the client never
 * saw, survives beside it (Preguiça et al.'s dotted version vectors in one register). Without a
 * context the register's own stands in: everything this replica has seen.
 *
 *   const ctx = siblingDots(both);               // what a client read: [n1:1, n2:1]
 *   t.apply(both, { f: 'set', value: 'w', context: ctx.slice(0, 1) }, { node: 'n3' });
 *   // ['w', 'y']: the write replaced x, the sibling its client saw, and kept y
 */
import { stableStringify } from '../../core/encoding.js';
import { compareDots, type Dot } from '../clocks/dot.js';
import { CausalContext } from './causal-context.js';
import { asArray, decodeDot, encodeDot, show } from './codec.js';
import { isVisible, type Json, type SpecUpdate } from './crdt-type.js';
import {
  type Causal,
  type CausalCrdtType,
  causalCrdt,
  diffDotFuns,
  type DotStoreType,
  type DotValue,
  joinDotFuns,
} from './dot-store.js';
import { compareStrings } from './sorted.js';

export interface MvRegisterOp {
  readonly f: 'set';
  readonly value: Json;
  /** The dots of the siblings the writing client read; the replica's own context if left out. */
  readonly context?: readonly Dot[];
}

/** The siblings: each value with the dot of its write, sorted by dot. */
export type MvRegisterStore = readonly DotValue<Json>[];

const sortedValues = (values: readonly Json[]): readonly Json[] =>
  values
    .map((v) => ({ v, key: stableStringify(v) }))
    .sort((x, y) => compareStrings(x.key, y.key))
    .map((x) => x.v);

const store: DotStoreType<MvRegisterStore, MvRegisterOp, readonly Json[]> = {
  name: 'mv-register',
  bottom: [],
  isBottom: (s) => s.length === 0,
  join: joinDotFuns,
  dots: (s, out) => {
    for (const e of s) out.push(e.dot);
  },
  mutate(s, c, op, node) {
    const dot = c.next(node);
    const seen: Dot[] = op.context === undefined ? s.map((e) => e.dot) : [...op.context];
    seen.push(dot);
    return { store: [{ dot, value: op.value }], context: CausalContext.of(seen) };
  },
  value: (s) => sortedValues(s.map((e) => e.value)),
  equals: (a, b) => diffDotFuns(a, b, stableStringify) === undefined,
  diff: (a, b) => diffDotFuns(a, b, show),
  encode: (s) => s.map((e) => [encodeDot(e.dot), e.value]),
  decode: (j) =>
    asArray(j, 'mv-register')
      .map((e) => {
        const [dot, value] = asArray(e, 'sibling');
        return { dot: decodeDot(dot ?? null), value: value ?? null };
      })
      .sort((x, y) => compareDots(x.dot, y.dot)),
  spec: maximalWrites,
};

export function mvRegister(): CausalCrdtType<MvRegisterStore, MvRegisterOp, readonly Json[]> {
  return causalCrdt(store);
}

/** The dots of a register's siblings, sorted: the causal context a client reads with its value. */
export const siblingDots = (s: Causal<MvRegisterStore>): readonly Dot[] =>
  s.store.map((e) => e.dot);

/**
 * The values of the writes no other write replaced. A write with a client context replaced the
 * writes whose dots it names (a replica's dots count its writes from 1, so an update's `dot`
 * here is also its sibling's); one without replaced every write its replica had seen.
 */
function maximalWrites(updates: readonly SpecUpdate<MvRegisterOp>[]): readonly Json[] {
  const replaced = (u: SpecUpdate<MvRegisterOp>, w: SpecUpdate<MvRegisterOp>) =>
    w.op.context === undefined
      ? isVisible(u, w)
      : w.op.context.some((d) => compareDots(d, u.dot) === 0);
  const maximal = updates.filter((u) => !updates.some((w) => w !== u && replaced(u, w)));
  return sortedValues(maximal.map((u) => u.op.value));
}
