/**
 * What the replicated-data workloads (counter, set, register, text) share: where a client sends
 * its operations — to its own replica every time (`sticky`, a client beside its server) or to
 * any at random (`roam`, a client behind a load balancer) — the weighted choice of the next
 * operation, and the final reads, one at every replica once faults have healed and gossip has
 * had the healed phase to go quiet.
 *
 * Clients update only in the faulty phase: the healed phase is the quiescence the convergence
 * checker needs, in which no update is in flight and the replicas must converge on their own.
 */
import { z } from 'zod';
import type { Prng } from '../core/prng.js';
import type { ReplicaRead } from '../core/replicated-ops.js';
import { intSchema } from '../options/units.js';

export type Routing = 'sticky' | 'roam';

export const routingSchema = z
  .enum(['sticky', 'roam'])
  .default('sticky')
  .describe(
    'sticky: each client uses its home replica (client i the node i mod n, or where workload.placement puts it; a placed client fails over and returns home after its timeout); roam: each operation goes to a random replica (default sticky)',
  );

/** A strict `mix:` of relative weights, one per operation, at least one above 0. */
export function mixSchema<K extends string>(defaults: Readonly<Record<K, number>>) {
  const names = Object.keys(defaults) as K[];
  const shape = Object.fromEntries(
    names.map((n) => [n, intSchema(0).default(0).describe(`relative weight of ${n}`)]),
  ) as Record<K, z.ZodDefault<ReturnType<typeof intSchema>>>;
  const shown = names.map((n) => `${n}: ${defaults[n]}`).join(', ');
  return z
    .strictObject(shape)
    .superRefine((m, ctx) => {
      if (Object.values<number>(m as Record<string, number>).some((w) => w > 0)) return;
      ctx.addIssue({
        code: 'custom',
        message: `at least one of ${names.join(', ')} must have a weight above 0`,
      });
    })
    .prefault(defaults as never)
    .describe(`relative weights of operations; weights left out are 0 (default { ${shown} })`);
}

/** The operation a weighted draw picks: `names[i]` with probability weight / total. */
export function pickByWeight<K extends string>(
  mix: Readonly<Record<K, number>>,
  names: readonly K[],
  rng: Prng,
): K {
  const total = names.reduce((sum, n) => sum + mix[n], 0);
  let r = rng.int(0, total - 1);
  for (const n of names) {
    if (r < mix[n]) return n;
    r -= mix[n];
  }
  return names[names.length - 1] as K;
}

/** One final read at every replica. */
export const finalReads = (nodes: number, f: ReplicaRead['f'] = 'read'): ReplicaRead[] =>
  Array.from({ length: nodes }, (_, replica) => ({ f, replica }));

/**
 * The replica an operation goes to: a final read's own, else by the routing: a sticky client's
 * home (the node it sits beside, which the client driver knows), a roaming client's random pick.
 */
export function routeTo(
  routing: Routing,
  // The driver knows each client's home; the parameter stays so every workload calls it alike.
  _client: number,
  op: object,
  nodes: number,
  rng: Prng,
): number | 'home' {
  const replica = (op as { readonly replica?: number }).replica;
  if (replica !== undefined) return replica;
  return routing === 'sticky' ? 'home' : rng.int(0, nodes - 1);
}

/** `read()`, or `read(n2)` for a final read of one replica. */
export function readText(op: { readonly f: string }): string {
  const replica = (op as { readonly replica?: number }).replica;
  return `${op.f}(${replica === undefined ? '' : `n${replica + 1}`})`;
}

export const optionalCount = (min: number, max: number, dflt: number, what: string) =>
  intSchema(min, max).default(dflt).describe(`${what} (default ${dflt})`);
