/**
 * The lock workload (Kleppmann, "How to do distributed locking", 2016; Jepsen's etcd 3.4.3 lock
 * test): each client takes a named lock with a TTL, writes to the protected store a few times
 * while it believes it holds it, renewing now and then, and releases it; then takes a lock
 * again. Each acquisition names its lease with a value unique to it (`c2.5`, client 2's 5th), as
 * `SET lock value NX PX ttl` does, and each write's value names its lease (`c2.5.w1`).
 *
 * The processes that hold locks are the lock service's client nodes (n3 and on), not these
 * closed-loop clients: a client node checks its lease on its own clock, which the scenario's
 * clock skew and drift move, and is the one a process-pause fault freezes (SIGSTOP, a GC pause)
 * between the check and the write. The workload's clients are what drives them, as an
 * application's requests drive its worker processes: client i uses client node i mod (n - 2).
 *
 * A client that loses its lease (a write refused as stale or past its lease, a renewal refused)
 * or cannot tell whether it got it (a timeout) releases it, which is harmless if it never held
 * it. After healing one final `audit` reads the store's list of judged writes, which the
 * mutual-exclusion checker judges.
 */
import { z } from 'zod';
import { sampleDelay } from '../core/delay.js';
import {
  LOCK_CLIENTS_FROM,
  LOCK_STORE_INDEX,
  type LockInput,
  type LockOutput,
} from '../core/lock-ops.js';
import type { DelaySpec } from '../core/delay.js';
import type { Prng } from '../core/prng.js';
import type { Micros } from '../core/time.js';
import { delaySchema, durationSchema, intSchema, ratioSchema } from '../options/units.js';
import type { WorkloadDefinition } from './workload-definition.js';

export interface LockOptions {
  readonly locks: number;
  readonly ttl: Micros;
  readonly writes: number;
  /** Parts per million: the chance a holder renews before a write. */
  readonly renew: number;
  readonly work: DelaySpec;
}

const optionsSchema = z.strictObject({
  locks: intSchema(1, 100)
    .default(1)
    .describe(
      'named locks lock0..lock(locks-1), each protecting its own key, 1 to 100 (default 1)',
    ),
  ttl: durationSchema
    .prefault('100ms')
    .describe('each lease’s time to live, asked for on acquire and on renew (default 100ms)'),
  writes: intSchema(1, 1000)
    .default(3)
    .describe('writes to the store under each lease before releasing it, 1 to 1000 (default 3)'),
  renew: ratioSchema
    .prefault(0.25)
    .describe('the chance a holder renews its lease before a write (default 0.25)'),
  work: delaySchema()
    .prefault({ dist: 'uniform', min: '1ms', max: '20ms' })
    .describe(
      'how long a holder works between checking its lease and writing (default { dist: uniform, min: 1ms, max: 20ms })',
    ),
});

/** What a client is doing with its current lease. */
type ClientPlan =
  | { readonly at: 'idle' }
  | { readonly at: 'holding'; readonly lock: string; readonly owner: string; written: number }
  | { readonly at: 'releasing'; readonly lock: string; readonly owner: string };

const US_PER_MS = 1000;

export const lockWorkload: WorkloadDefinition<LockOptions, LockInput, LockOutput> = {
  name: 'lock',
  summary:
    'acquire a named lock with a TTL (SET NX PX, a unique value per lease), write to the protected store under it with its fencing token, renew, release; a final audit of the store',
  hasClients: true,
  optionsSchema,
  create(options, clients) {
    const plans: ClientPlan[] = Array.from({ length: clients }, () => ({ at: 'idle' }));
    const taken = new Array<number>(clients).fill(0);
    const ttlMs = Math.max(1, Math.round(options.ttl / US_PER_MS));
    const nextFor = (client: number, rng: Prng): LockInput => {
      const plan = plans[client] as ClientPlan;
      if (plan.at === 'idle') {
        taken[client] = (taken[client] ?? 0) + 1;
        const owner = `c${client + 1}.${taken[client]}`;
        const lock = `lock${rng.int(0, options.locks - 1)}`;
        return { f: 'acquire', lock, owner, ttlMs };
      }
      const { lock, owner } = plan;
      if (plan.at === 'releasing' || plan.written >= options.writes)
        return { f: 'release', lock, owner };
      if (rng.chancePpm(options.renew)) return { f: 'renew', lock, owner, ttlMs };
      const workMs = Math.round(sampleDelay(options.work, rng) / US_PER_MS);
      return { f: 'write', lock, owner, value: `${owner}.w${plan.written + 1}`, workMs };
    };
    return {
      next: (client, phase, rng) => (phase === 'final' ? undefined : nextFor(client, rng)),
      completed(client, op, outcome) {
        plans[client] = afterOutcome(plans[client] as ClientPlan, op, outcome);
      },
      finalOps: () => [{ f: 'audit' }],
      opName: (op) => op.f,
      route: (client, op, nodes) =>
        op.f === 'audit'
          ? LOCK_STORE_INDEX
          : LOCK_CLIENTS_FROM + (client % Math.max(1, nodes - LOCK_CLIENTS_FROM)),
    };
  },
  formatOp: (op) => {
    const i = op.input;
    const token = (op.output as { token?: number } | undefined)?.token;
    const t = token === undefined ? '' : ` → token ${token}`;
    if (i.f === 'audit') return 'audit()';
    if (i.f === 'write') return `write(${i.lock}, ${i.value})`;
    if (i.f === 'release') return `release(${i.lock}, ${i.owner})`;
    return `${i.f}(${i.lock}, ${i.owner}, ${i.ttlMs}ms)${t}`;
  },
};

/** The client's plan once an operation ended: keep going, or let the lease go. */
function afterOutcome(plan: ClientPlan, op: LockInput, outcome: string): ClientPlan {
  if (op.f === 'audit') return plan;
  if (op.f === 'release') return { at: 'idle' };
  const { lock, owner } = op;
  if (op.f === 'acquire') {
    if (outcome === 'ok') return { at: 'holding', lock, owner, written: 0 };
    return outcome === 'fail' ? { at: 'idle' } : { at: 'releasing', lock, owner };
  }
  if (plan.at !== 'holding' || plan.owner !== owner) return plan;
  if (outcome !== 'ok') return { at: 'releasing', lock, owner };
  if (op.f === 'write') plan.written++;
  return plan;
}
