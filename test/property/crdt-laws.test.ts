/**
 * The laws every CRDT here must keep, checked with fast-check over small replication runs
 * (test/property/crdt-harness.ts): merge is commutative, associative and idempotent (a
 * join-semilattice, Shapiro et al. 2011); each update's delta joins like the whole new state
 * (Almeida et al.'s δ-mutators); every replica order of the same deliveries converges; every
 * replica reads what the type's specification says of the updates it has seen; and equals, diff,
 * hash and the encoding agree. crdt-bugs.test.ts shows these laws failing when a named bug is on.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  actionsArb,
  applyJoinsDelta,
  associative,
  commutative,
  comparable,
  deliveryOrders,
  deltaLikeState,
  idempotent,
  type Law,
  meetsSpec,
  play,
  TYPE_NAMES,
  typeNamed,
} from './crdt-harness.js';

const RUNS = { numRuns: 100 };

const LAWS: readonly [string, Law][] = [
  ['merge is commutative', commutative],
  ['merge is associative', associative],
  ['merge is idempotent, with empty() as its identity', idempotent],
  ['apply returns merge(state, delta)', applyJoinsDelta],
  ['a delta joins into any later state as the whole new state does', deltaLikeState],
  ['every replica reads the specification of the updates it has seen', meetsSpec],
  ['equals, diff, hash and encode/decode agree', comparable],
];

describe.each(TYPE_NAMES)('%s', (name) => {
  const type = typeNamed(name);
  for (const [title, law] of LAWS) {
    test.prop([actionsArb(name)], RUNS)(title, (actions) => {
      expect(law(type, play(type, actions))).toBeUndefined();
    });
  }
  test.prop([actionsArb(name), fc.array(fc.nat(1000), { minLength: 1, maxLength: 30 })], RUNS)(
    'every replica order of the same deliveries, duplicates included, converges',
    (actions, keys) => {
      expect(deliveryOrders(keys)(type, play(type, actions))).toBeUndefined();
    },
  );
});
