/**
 * Versions and their resolution (versions.ts): dotted version vectors keep concurrent writes as
 * siblings and drop exactly what a client read; last-writer-wins keeps the greatest timestamp;
 * the join is commutative and idempotent; and the named bug #39 drops a concurrent sibling.
 */
import { describe, expect, it } from 'vitest';
import { VectorClock } from '../../../../src/components/clocks/vector-clock.js';
import {
  contextOf,
  type Resolver,
  readOf,
  syncVersions,
  type Versions,
  writeVersion,
} from '../../../../src/protocols/dynamo/versions.js';

const siblings: Resolver = { resolution: 'siblings', compareBug: undefined };
const lww: Resolver = { resolution: 'lww-hlc', compareBug: undefined };
const buggy: Resolver = {
  resolution: 'siblings',
  compareBug: new Set(['vector-clock.ignore-missing-entries']),
};

const put = (
  r: Resolver,
  vs: Versions,
  node: string,
  value: string,
  ctx = VectorClock.EMPTY,
  l = 0,
) => writeVersion(r, vs, { node, context: ctx, value, ts: { l, c: 0 } }).versions;

describe('dynamo versions', () => {
  it('keeps two blind writes through one coordinator as siblings, with distinct dots', () => {
    const a = put(siblings, [], 'n1', 'x');
    const b = put(siblings, a, 'n1', 'y');
    expect(readOf(b)).toEqual({ values: ['x', 'y'], context: ['n1:2'] });
  });

  it('replaces exactly the versions the client read', () => {
    const a = put(siblings, [], 'n1', 'x');
    const read = contextOf(a);
    const b = put(siblings, a, 'n2', 'y'); // concurrent, unseen by the next writer
    const c = put(siblings, b, 'n1', 'z', read);
    expect(readOf(c).values).toEqual(['y', 'z']);
  });

  it('joins replicas commutatively and idempotently', () => {
    const a = put(siblings, [], 'n1', 'x');
    const b = put(siblings, [], 'n2', 'y');
    const ab = syncVersions(siblings, a, b);
    expect(readOf(ab)).toEqual(readOf(syncVersions(siblings, b, a)));
    expect(readOf(syncVersions(siblings, ab, ab))).toEqual(readOf(ab));
  });

  it('keeps only the greatest timestamp under last-writer-wins, even written later', () => {
    const a = put(lww, [], 'n1', 'ahead', VectorClock.EMPTY, 5_000);
    const b = put(lww, a, 'n2', 'later', VectorClock.EMPTY, 1_000);
    expect(readOf(b).values).toEqual(['ahead']);
  });

  it('never gives a dot twice under last-writer-wins, though the losers are dropped', () => {
    // Found by dynamo-lww seed 586: n2's writes lost to a greater timestamp, and the next write
    // through n2 took a dot one of them had, so a join kept one of two different versions.
    const a = put(lww, [], 'n1', 'ahead', VectorClock.EMPTY, 9_000);
    const b = put(lww, a, 'n2', 'lost-1', VectorClock.EMPTY, 1_000);
    const c = put(lww, b, 'n2', 'lost-2', VectorClock.EMPTY, 2_000);
    expect(readOf(c).values).toEqual(['ahead']);
    expect(contextOf(c).get('n2')).toBe(2);
    const d = writeVersion(lww, c, {
      node: 'n2',
      context: VectorClock.EMPTY,
      value: 'next',
      ts: { l: 10_000, c: 0 },
    });
    expect(d.version.dot).toEqual({ node: 'n2', counter: 3 });
  });

  it('with research #39, drops a concurrent sibling whose clock has an entry the other lacks', () => {
    // x was written at n1 having seen nothing; y at n2 having seen a version of n3 only.
    const x = put(siblings, [], 'n1', 'x');
    const y = put(siblings, [], 'n2', 'y', VectorClock.from({ n3: 1 }));
    expect(readOf(syncVersions(siblings, x, y)).values).toEqual(['x', 'y']);
    // y's context {n3:1} "descends" x's clock {n1:1} when n1, missing from y's, is skipped.
    expect(readOf(syncVersions(buggy, x, y)).values).toEqual(['y']);
  });
});
