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
 * concurrent writes of one value are two siblings). Left out: a client-supplied context (the
 * register's own context stands for "everything this replica has seen"; dynamo-style writes that
 * carry a client's context use dotted-version-vector.ts).
 */
import { stableStringify } from '../../core/encoding.js';
import { compareDots, type Dot } from '../clocks/dot.js';
import { CausalContext } from './causal-context.js';
import { asArray, decodeDot, encodeDot, show } from './codec.js';
import { isVisible, type Json, type SpecUpdate } from './crdt-type.js';
import {
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
    const seen: Dot[] = s.map((e) => e.dot);
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

/** The values of the writes no other write had seen. */
function maximalWrites(updates: readonly SpecUpdate<MvRegisterOp>[]): readonly Json[] {
  const maximal = updates.filter((u) => !updates.some((w) => w !== u && isVisible(u, w)));
  return sortedValues(maximal.map((u) => u.op.value));
}
