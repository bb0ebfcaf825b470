/**
 * Dotted version vectors: the header's example, the case they exist for (two clients writing
 * through one node keep both values), and sync dropping exactly what a write had seen.
 */
import { describe, expect, it } from 'vitest';
import {
  dvvJoin,
  dvvSync,
  dvvUpdate,
  type Siblings,
} from '../../../../src/components/clocks/dotted-version-vector.js';
import { VectorClock } from '../../../../src/components/clocks/vector-clock.js';

const values = (s: Siblings<string>) => s.map((x) => x.value);

describe('dotted version vectors', () => {
  it('the header example', () => {
    let s = dvvUpdate<string>([], VectorClock.EMPTY, 'n1', 'x');
    expect(dvvJoin(s).toString()).toBe('{n1:1}');
    s = dvvUpdate(s, VectorClock.EMPTY, 'n1', 'y');
    expect(values(s)).toEqual(['x', 'y']);
    s = dvvUpdate(s, dvvJoin(s), 'n2', 'z');
    expect(s.map((x) => [x.value, x.dot])).toEqual([['z', { node: 'n2', counter: 1 }]]);
  });

  it('two clients that read the same version and write through one node keep both', () => {
    const v1 = dvvUpdate<string>([], VectorClock.EMPTY, 'n1', 'v1');
    const read = dvvJoin(v1);
    const a = dvvUpdate(v1, read, 'n1', 'from-c1');
    const both = dvvUpdate(a, read, 'n1', 'from-c2');
    expect(values(both)).toEqual(['from-c1', 'from-c2']);
    expect(dvvJoin(both).toString()).toBe('{n1:3}');
  });

  it('sync keeps concurrent siblings and drops those a write had seen', () => {
    const base = dvvUpdate<string>([], VectorClock.EMPTY, 'n1', 'old');
    const atN2 = dvvUpdate(base, dvvJoin(base), 'n2', 'new');
    const atN3 = dvvUpdate(base, VectorClock.EMPTY, 'n3', 'blind');
    expect(values(dvvSync(atN2, atN3))).toEqual(['new', 'blind']);
    expect(values(dvvSync(base, atN2))).toEqual(['new']);
  });

  it('a new dot goes past what the client read, even if the node had forgotten it', () => {
    const s = dvvUpdate<string>([], VectorClock.from({ n1: 4 }), 'n1', 'x');
    expect(s[0]?.dot).toEqual({ node: 'n1', counter: 5 });
  });
});
