/**
 * The lock rows' measures from one history: acquisitions attempted and granted before the final
 * phase, and from the store's audit the writes taken, the stale ones among them (a lower token
 * taken after a higher one for the same key) and the ones refused; nothing without an audit.
 */
import { expect, it } from 'vitest';
import { lockMeasures, sumLockMeasures } from '../../../src/compare/lock-measures.js';
import type { Operation } from '../../../src/core/history.js';
import type { LockInput, StoreEntry } from '../../../src/core/lock-ops.js';

const op = (input: LockInput, outcome: 'ok' | 'fail', output: unknown = null): Operation => ({
  id: 0,
  client: 'c1',
  f: input.f,
  input,
  output,
  invokeUs: 0,
  completeUs: 1,
  outcome,
  phase: input.f === 'audit' ? 'final' : 'faulty',
});
const entry = (key: string, token: number, accepted: boolean): StoreEntry => ({
  key,
  owner: `o${token}`,
  token,
  value: `v${token}`,
  accepted,
});

it('counts grants, writes taken, stale writes taken and refused', () => {
  const acquire = { f: 'acquire', lock: 'lock0', owner: 'c1.1', ttlMs: 100 } as const;
  const entries = [
    entry('lock0', 2, true),
    entry('lock0', 1, true),
    entry('lock1', 1, true),
    entry('lock0', 1, false),
  ];
  const history = [
    op(acquire, 'ok', { token: 1 }),
    op(acquire, 'fail'),
    op({ f: 'audit' }, 'ok', { entries }),
  ];
  const m = lockMeasures(history);
  expect(m).toEqual({ lock: { acquires: 2, granted: 1, taken: 3, rejected: 1, staleTaken: 1 } });
  expect(sumLockMeasures([m.lock, m.lock])?.staleTaken).toBe(2);
  expect(sumLockMeasures([m.lock, undefined])).toBeUndefined();
  expect(lockMeasures(history.slice(0, 2))).toEqual({});
});
