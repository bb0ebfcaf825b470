/**
 * CRDT values per key (crdt-values.ts, `resolution: crdt`): a coordinator's update is a delta
 * of the state it holds; replicas join states, commutatively and idempotently, so concurrent
 * updates add up instead of becoming siblings; a remove takes away only the adds its coordinator
 * had seen. And which resolution fits which workload (resolution-fit.ts).
 */
import { describe, expect, it } from 'vitest';
import { VectorClock } from '../../../../src/components/clocks/vector-clock.js';
import { crdtTypeNamed } from '../../../../src/components/crdt/crdt-types.js';
import type { AnyCrdtType } from '../../../../src/components/crdt/crdt-type.js';
import { crdt } from '../../../../src/protocols/crdt/index.js';
import { crdtValue, deltaValue, joinStates } from '../../../../src/protocols/dynamo/crdt-values.js';
import type { DynamoOptions } from '../../../../src/protocols/dynamo/dynamo-config.js';
import { checkResolution } from '../../../../src/protocols/dynamo/resolution-fit.js';
import {
  contextOf,
  type Resolver,
  syncVersions,
  type Versions,
  writeVersion,
} from '../../../../src/protocols/dynamo/versions.js';

function resolver(name: string): Resolver {
  const crdt = crdtTypeNamed(name) as AnyCrdtType;
  return {
    resolution: 'crdt',
    compareBug: undefined,
    crdt,
    joinStates: (all) => joinStates(crdt, all),
  };
}
const counter = resolver('pn-counter');
const orSet = resolver('or-set');

/** The update `op` coordinated by `node` on the versions it holds. */
function update(r: Resolver, vs: Versions, node: string, op: unknown): Versions {
  const value = deltaValue(r.crdt as AnyCrdtType, vs, op, node);
  const write = { node, context: VectorClock.EMPTY, value, ts: { l: 0, c: 0 } };
  return writeVersion(r, vs, write).versions;
}

const value = (r: Resolver, vs: Versions) => crdtValue(r.crdt as AnyCrdtType, vs);

describe('dynamo CRDT values', () => {
  it('adds up concurrent increments on two coordinators instead of keeping siblings', () => {
    const a = update(counter, update(counter, [], 'n1', { f: 'inc', by: 2 }), 'n1', {
      f: 'inc',
      by: 3,
    });
    const b = update(counter, [], 'n2', { f: 'dec', by: 1 });
    const ab = syncVersions(counter, a, b);
    expect(ab).toHaveLength(1);
    expect(value(counter, ab)).toBe(4);
    expect(contextOf(ab).entries()).toEqual([
      ['n1', 2],
      ['n2', 1],
    ]);
  });

  it('joins states commutatively and idempotently, to one version whatever the order', () => {
    const a = update(counter, [], 'n1', { f: 'inc', by: 2 });
    const b = update(counter, [], 'n2', { f: 'inc', by: 5 });
    const ab = syncVersions(counter, a, b);
    expect(syncVersions(counter, b, a)).toEqual(ab);
    expect(syncVersions(counter, ab, ab)).toEqual(ab);
    expect(syncVersions(counter, ab, a)).toEqual(ab);
  });

  it('lets an add win over a concurrent remove, and a remove take the adds it saw', () => {
    const seen = update(orSet, [], 'n1', { f: 'add', element: 'e0' });
    const removed = update(orSet, seen, 'n1', { f: 'remove', element: 'e0' });
    expect(value(orSet, removed)).toEqual([]);
    const concurrent = update(orSet, [], 'n2', { f: 'add', element: 'e0' });
    expect(value(orSet, syncVersions(orSet, removed, concurrent))).toEqual(['e0']);
  });
});

describe('dynamo resolution against the workload', () => {
  const opts = (o: Partial<DynamoOptions>) => ({ resolution: 'siblings', ...o }) as DynamoOptions;
  const misfitAt = (o: Partial<DynamoOptions>, workload: string) =>
    checkResolution(opts(o), { name: workload })?.path[0];

  it('takes crdt with the type of its workload, and versions with kv-context', () => {
    expect(misfitAt({ resolution: 'crdt', crdtType: 'pn-counter' }, 'counter')).toBeUndefined();
    expect(misfitAt({ resolution: 'crdt', crdtType: 'or-set' }, 'set')).toBeUndefined();
    expect(misfitAt({ resolution: 'lww-hlc' }, 'kv-context')).toBeUndefined();
  });

  it('refuses every other pairing at the field to change', () => {
    expect(misfitAt({ resolution: 'crdt', crdtType: 'or-set' }, 'counter')).toBe('crdtType');
    expect(misfitAt({ resolution: 'crdt' }, 'set')).toBe('crdtType');
    expect(misfitAt({ resolution: 'siblings' }, 'counter')).toBe('resolution');
    expect(misfitAt({ resolution: 'lww-wall' }, 'set')).toBe('resolution');
    expect(misfitAt({ resolution: 'crdt', crdtType: 'pn-counter' }, 'kv-context')).toBe(
      'resolution',
    );
    expect(misfitAt({ crdtType: 'pn-counter' }, 'kv-context')).toBe('crdtType');
  });
});

describe('the crdt protocol with a keyed workload', () => {
  it('refuses keys, which only a per-key store can serve', () => {
    const options = { type: 'pn-counter', intervalMs: 20, fanout: 1, bufferMax: 256 };
    const keyed = { name: 'counter', options: { keys: 4 } };
    expect(crdt.checkWorkload?.(options, keyed, { nodes: 3 })?.message).toMatch(
      /workload.keys is 4.*use protocol: dynamo with resolution: crdt/,
    );
    expect(crdt.checkWorkload?.(options, { name: 'counter', options: {} }, { nodes: 3 })).toBe(
      undefined,
    );
  });
});
