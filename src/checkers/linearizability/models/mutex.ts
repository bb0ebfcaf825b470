/**
 * A lock, as Knossos's `(model/mutex)`: `acquire` is illegal while it is held, `release` while it
 * is free, and it starts free. Jepsen's lock workloads (etcd, Consul, ZooKeeper recipes) record
 * exactly these two operations; a lock service that grants one lock to two clients at once is
 * not linearizable under this model. Outputs carry nothing. An unknown acquire or release may or
 * may not have happened; where it is placed it must be legal, like a known one.
 */
import type { Model } from '../types.js';
import { functionOf } from './validate.js';

export type MutexInput = { readonly f: 'acquire' } | { readonly f: 'release' };
/** Nothing: an acquire or release that completed says only that it happened. */
export type MutexOutput = Readonly<Record<string, never>>;
/** True while the lock is held. */
export type MutexState = boolean;

export const mutexModel: Model<MutexState, MutexInput, MutexOutput> = {
  name: 'mutex',
  summary: 'a lock (Knossos mutex): acquire is illegal while held, release while free',
  init: () => false,
  step(held, input) {
    if (input.f === 'acquire') return held ? undefined : true;
    return held ? false : undefined;
  },
  key: (held) => (held ? 1 : 0),
  validate(input) {
    const f = functionOf(input, ['acquire', 'release']);
    return 'error' in f ? f.error : undefined;
  },
  explain({ culprit, before, concurrent, time }) {
    // The simple case only: nothing in flight with the culprit and nothing unknown before it, so
    // the operations that completed before it fix the lock's state when it began.
    if (culprit.unknown || concurrent.length > 0 || before.some((o) => o.unknown)) return undefined;
    const acquires = before.filter((o) => o.input.f === 'acquire').length;
    const releases = before.length - acquires;
    const counts = `${acquires} acquire${acquires === 1 ? '' : 's'} and ${releases} release${releases === 1 ? '' : 's'} completed before it began`;
    if (culprit.input.f === 'acquire' && acquires - releases === 1)
      return `acquire() succeeded at ${time(culprit.ret)}, but the lock was held: ${counts}`;
    if (culprit.input.f === 'release' && acquires === releases)
      return `release() succeeded at ${time(culprit.ret)}, but the lock was free: ${counts}`;
    return undefined;
  },
  describe(input, _output, unknown) {
    return `${input.f}() -> ${unknown ? '?' : 'ok'}`;
  },
};
