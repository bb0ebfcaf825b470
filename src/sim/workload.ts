/**
 * Client workloads. Clients are closed loops (Jepsen's model): each invokes one operation,
 * waits for its outcome or a timeout, thinks, and invokes the next. A workload decides what the
 * operations are; the world's client driver decides where they go and records what was seen.
 *
 * The kv workload writes unique values (`c2.17`), so checkers can tell which write a read saw,
 * and appends by default, so a final read shows every write that survived (Jepsen's set test).
 */
import type { PhaseName } from '../core/history.js';
import type { KvInput } from '../core/history.js';
import type { Prng } from '../core/prng.js';
import type { Micros } from '../core/time.js';
import type { DelaySpec } from '../core/delay.js';

export interface Workload<In = unknown> {
  readonly name: string;
  readonly clients: number;
  readonly timeoutUs: Micros;
  readonly thinkUs: DelaySpec;
  /** How many times a client retries an operation that definitely failed (e.g. `not-primary`). */
  readonly retries: number;
  /** The next operation for a client, or undefined to stop. */
  next(client: number, phase: PhaseName, rng: Prng): In | undefined;
  /** Operations run once, after quiescence, to observe the final state (e.g. one read per key). */
  finalOps(): In[];
  describe(op: In): { f: string; key?: string };
}

export interface KvMix {
  readonly get: number;
  readonly put: number;
  readonly append: number;
}

export interface KvWorkloadSpec {
  readonly clients: number;
  readonly keys: number;
  readonly mix: KvMix;
  readonly timeoutUs: Micros;
  readonly thinkUs: DelaySpec;
  readonly retries: number;
  /** Operations per client at most (bounded like everything else). */
  readonly opsPerClientMax: number;
}

export function kvWorkload(spec: KvWorkloadSpec): Workload<KvInput> {
  const counters = new Array<number>(spec.clients).fill(0);
  const total = spec.mix.get + spec.mix.put + spec.mix.append;
  const keyName = (k: number) => `k${k}`;
  return {
    name: 'kv',
    clients: spec.clients,
    timeoutUs: spec.timeoutUs,
    thinkUs: spec.thinkUs,
    retries: spec.retries,
    next(client, _phase, rng) {
      const n = (counters[client] ?? 0) + 1;
      counters[client] = n;
      if (n > spec.opsPerClientMax) return undefined;
      const key = keyName(rng.int(0, spec.keys - 1));
      const r = rng.int(0, total - 1);
      const value = `c${client + 1}.${n}`;
      if (r < spec.mix.get) return { f: 'get', key };
      if (r < spec.mix.get + spec.mix.put) return { f: 'put', key, value };
      return { f: 'append', key, value };
    },
    finalOps() {
      return Array.from({ length: spec.keys }, (_, k): KvInput => ({ f: 'get', key: keyName(k) }));
    },
    describe(op) {
      return { f: op.f, key: op.key };
    },
  };
}
