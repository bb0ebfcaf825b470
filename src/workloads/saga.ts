/**
 * The saga workload: a trip booked across three services (flight, hotel, car), each booking a
 * step with a compensation that cancels it (Garcia-Molina & Salem, "Sagas", SIGMOD 1987).
 * Closed-loop clients book trips, each a saga with a unique id (`s2.17`: client 2's 17th); with
 * probability `failRatio` one of the three services, drawn uniformly, has nothing to offer and
 * refuses its step by design, so the saga must be compensated. Both draws come from the
 * workload's own labelled fork of the seed, so a run's failures are fixed by its seed.
 *
 * Clients also read trips mid-run (the latest saga some client started, likely still running):
 * a saga never blocks but its intermediate states are visible to other clients, and these
 * reads are what sees them. Bookings go to the orchestrator (the first node); a read goes to any
 * node, which asks the three services. After healing, one final ledger read per service.
 */
import { z } from 'zod';
import { PPM } from '../core/prng.js';
import { SERVICES, type SagaInput, type SagaOutput } from '../core/saga-ops.js';
import { ratioSchema } from '../options/units.js';
import { mixSchema, pickByWeight } from './replicated-clients.js';
import type { WorkloadDefinition } from './workload-definition.js';

const OPS = ['book', 'read'] as const;

export interface SagaOptions {
  /** The share of sagas with a step that fails by design, in parts per million. */
  readonly failRatio: number;
  readonly mix: Readonly<Record<(typeof OPS)[number], number>>;
}

const optionsSchema = z.strictObject({
  failRatio: ratioSchema
    .default(0.3)
    .describe(
      'the share of sagas in which one service (drawn uniformly) refuses its step by design, so the saga is compensated, 0 to 1 (default 0.3)',
    ),
  mix: mixSchema({ book: 3, read: 1 }),
});

export const sagaWorkload: WorkloadDefinition<SagaOptions, SagaInput, SagaOutput> = {
  name: 'saga',
  summary:
    'trips booked across three services (flight, hotel, car) as sagas with unique ids, some refused by a service by design; reads of running trips; a final ledger read per service',
  hasClients: true,
  optionsSchema,
  create(options, clients) {
    const made = new Array<number>(clients).fill(0);
    /** Each client's latest saga, in client order (clients that started none are left out). */
    const latest = new Map<number, string>();
    return {
      next(client, phase, rng): SagaInput | undefined {
        if (phase !== 'faulty') return undefined;
        if (pickByWeight(options.mix, OPS, rng) === 'read' && latest.size > 0)
          return { f: 'read', saga: rng.pick([...latest.values()]) };
        const n = (made[client] ?? 0) + 1;
        made[client] = n;
        const saga = `s${client + 1}.${n}`;
        latest.set(client, saga);
        if (!rng.chance(options.failRatio, PPM)) return { f: 'book', saga };
        return { f: 'book', saga, unavailable: rng.pick(SERVICES) };
      },
      finalOps: () => SERVICES.map((service) => ({ f: 'ledger', service }) as const),
      opName: (op) => op.f,
      route: (_client, op, nodes, rng) =>
        op.f === 'book'
          ? 0
          : op.f === 'ledger'
            ? 1 + SERVICES.indexOf(op.service)
            : rng.int(0, nodes - 1),
    };
  },
  formatOp: (op) =>
    op.input.f === 'book'
      ? `book(${op.input.saga}${op.input.unavailable === undefined ? '' : `, no ${op.input.unavailable}`})`
      : op.input.f === 'read'
        ? `read(${op.input.saga})`
        : `ledger(${op.input.service})`,
};
