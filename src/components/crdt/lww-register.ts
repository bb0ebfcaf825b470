/**
 * The last-writer-wins register (Shapiro et al. 2011, §3.2.1): a value with the timestamp of its
 * write; merge keeps the larger timestamp, ties broken by node id, so every replica picks the
 * same winner. Timestamps are hybrid logical clock readings (clocks/hybrid-logical-clock.ts)
 * passed in `ctx.timestamp`: the protocol keeps one HLC per node and lifts it with every message
 * it receives, so a write stamped after merging a value's state is stamped after that value, and
 * causality is never inverted — whatever the skew. Concurrent writes still lose silently: that is
 * what LWW means, and the convergence checker should count those losses.
 *
 *   const t = lwwRegister();
 *   const at = (node: string) => ({ node, timestamp: { l: 5, c: 0 } });
 *   const a = t.apply(t.empty(), { f: 'set', value: 'x' }, at('n1'));
 *   const b = t.apply(t.empty(), { f: 'set', value: 'y' }, at('n2'));
 *   t.value(t.merge(a.state, b.state));          // 'y': same time, n2 > n1
 *
 * Left out: wall-clock timestamps; a protocol that stamps with `ctx.now` instead of an HLC shows
 * research catalogue #38 (skew loses acknowledged writes) without any change here.
 */
import { assert } from '../../core/assert.js';
import { stableStringify } from '../../core/encoding.js';
import { compareHlc, type Hlc } from '../clocks/hybrid-logical-clock.js';
import type { NodeId } from '../../core/ids.js';
import { asCount, asObject, asString, hashJson, show } from './codec.js';
import type { CrdtType, Json, SpecUpdate } from './crdt-type.js';
import { compareStrings } from './sorted.js';

export interface LwwRegisterOp {
  readonly f: 'set';
  readonly value: Json;
}

/** The winning write, or null before any write. */
export type LwwRegisterState = {
  readonly value: Json;
  readonly timestamp: Hlc;
  readonly node: NodeId;
} | null;

/** Which of two writes wins: the later timestamp, then the larger node id. */
function later(a: NonNullable<LwwRegisterState>, b: NonNullable<LwwRegisterState>): number {
  return compareHlc(a.timestamp, b.timestamp) || compareStrings(a.node, b.node);
}

const merge = (a: LwwRegisterState, b: LwwRegisterState): LwwRegisterState =>
  a === null ? b : b === null ? a : later(a, b) >= 0 ? a : b;

const encode = (s: LwwRegisterState): Json =>
  s === null ? null : { value: s.value, l: s.timestamp.l, c: s.timestamp.c, node: s.node };

export function lwwRegister(): CrdtType<LwwRegisterState, LwwRegisterOp, Json> {
  return {
    name: 'lww-register',
    empty: () => null,
    apply(state, op, ctx) {
      assert(op.f === 'set' && ctx.timestamp !== undefined, 'lww-register: set needs a timestamp');
      const delta = { value: op.value, timestamp: ctx.timestamp, node: ctx.node };
      return { state: merge(state, delta), delta };
    },
    merge,
    value: (s) => (s === null ? null : s.value),
    equals: (a, b) => stableStringify(encode(a)) === stableStringify(encode(b)),
    hash: (s) => hashJson(encode(s)),
    diff(a, b) {
      const [p, q] = [show(encode(a)), show(encode(b))];
      return p === q ? undefined : `register: ${p} vs ${q}`;
    },
    encode,
    decode(j) {
      if (j === null) return null;
      const o = asObject(j, 'lww-register');
      const timestamp = { l: asCount(o.l ?? null, 'l'), c: asCount(o.c ?? null, 'c') };
      return { value: o.value ?? null, timestamp, node: asString(o.node ?? null, 'node') };
    },
    spec: lastWrite,
  };
}

/** The value of the write with the largest (timestamp, node). */
function lastWrite(updates: readonly SpecUpdate<LwwRegisterOp>[]): Json {
  let winner: LwwRegisterState = null;
  for (const u of updates) {
    assert(u.timestamp !== undefined, 'lww-register spec: every update needs its timestamp');
    winner = merge(winner, { value: u.op.value, timestamp: u.timestamp, node: u.dot.node });
  }
  return winner === null ? null : winner.value;
}
