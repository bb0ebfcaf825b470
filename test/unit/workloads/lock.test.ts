/**
 * The lock workload: each client acquires a lock under a value unique to the acquisition,
 * writes under it a set number of times (renewing now and then), releases it, and starts again;
 * a client that loses its lease or cannot tell whether it got one releases it; operations go to
 * the client's own lock-client node and the final audit to the store; and its options are
 * refused with the file, line, column and field when out of range or misfit to the cluster.
 */
import { describe, expect, it } from 'vitest';
import type { LockInput } from '../../../src/core/lock-ops.js';
import { Prng } from '../../../src/core/prng.js';
import { formatScenarioError, parseScenario } from '../../../src/scenario/index.js';
import { type LockOptions, lockWorkload } from '../../../src/workloads/lock.js';

const options = (o: object) => lockWorkload.optionsSchema.parse(o) as unknown as LockOptions;

describe('lock workload', () => {
  it('acquires, writes under the lease, releases, and starts again under a new value', () => {
    const w = lockWorkload.create(options({ writes: 2, renew: 0 }), 2, 5);
    const rng = Prng.root(1).fork('workload');
    const seen: string[] = [];
    for (let i = 0; i < 8; i++) {
      const op = w.next(0, 'faulty', rng) as LockInput;
      seen.push(op.f === 'audit' ? 'audit' : `${op.f} ${op.owner}`);
      w.completed?.(0, op, 'ok', op.f === 'acquire' ? { token: i } : null);
    }
    expect(seen).toEqual([
      'acquire c1.1',
      'write c1.1',
      'write c1.1',
      'release c1.1',
      'acquire c1.2',
      'write c1.2',
      'write c1.2',
      'release c1.2',
    ]);
  });

  it('releases a lease it lost or may hold, and tries again after a refusal', () => {
    const w = lockWorkload.create(options({ renew: 0 }), 1, 3);
    const rng = Prng.root(2).fork('workload');
    const a = w.next(0, 'faulty', rng) as LockInput;
    w.completed?.(0, a, 'info', undefined);
    expect(w.next(0, 'faulty', rng)).toMatchObject({ f: 'release', owner: 'c1.1' });
    w.completed?.(0, { f: 'release', lock: 'lock0', owner: 'c1.1' }, 'ok', null);
    const b = w.next(0, 'faulty', rng) as LockInput;
    w.completed?.(0, b, 'fail', undefined);
    expect(w.next(0, 'faulty', rng)).toMatchObject({ f: 'acquire', owner: 'c1.3' });
  });

  it('sends each client to its own lock-client node and the audit to the store', () => {
    const w = lockWorkload.create(options({}), 4, 5);
    const rng = Prng.root(1).fork('workload');
    const op = w.next(0, 'faulty', rng) as LockInput;
    expect([0, 1, 2, 3].map((c) => w.route?.(c, op, 5, rng))).toEqual([2, 3, 4, 2]);
    expect(w.finalOps()).toEqual([{ f: 'audit' }]);
    expect(w.route?.(0, { f: 'audit' }, 5, rng)).toBe(1);
  });
});
describe('lock options', () => {
  const scenario = (nodes: number, workload: string, opts = '') => `protocol: lock-service
${opts}cluster: { nodes: ${nodes} }
workload:
  type: lock
  clients: 2
${workload}
phases: { faulty: 1s, healed: 1s, final: 1s }
`;
  const errorsOf = (text: string) => {
    const r = parseScenario(text, 's.yaml');
    return r.ok ? [] : r.errors.map(formatScenarioError);
  };

  it('refuses a value out of range at its position', () => {
    expect(errorsOf(scenario(4, '  writes: 0'))).toEqual([
      's.yaml:6:11 workload.writes: expected a whole number from 1 to 1000, got 0',
    ]);
  });

  it('refuses a cluster without a lock client, and a ttl the server would cut short', () => {
    expect(errorsOf(scenario(2, '  writes: 1'))[0]).toMatch(
      /needs a lock server, a store and a lock client/,
    );
    expect(errorsOf(scenario(4, '  ttl: 2s', 'options: { ttlMaxMs: 500 }\n'))[0]).toMatch(
      /s\.yaml:2:\d+ options\.ttlMaxMs: ttlMaxMs is 500, below the workload's ttl of 2000ms/,
    );
  });
});
