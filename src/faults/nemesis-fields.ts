/**
 * The fields every random nemesis shares: how often it strikes (`every`), how long each fault
 * lasts (`for`) and which nodes it hits (`target`), and the resolution of `target` against the
 * protocol's roles. A kind adds its own fields beside these (partition `shapes`, skew `bumpMax`).
 */
import { z } from 'zod';
import { constantDelay, delaySchema, exponentialDelay } from '../options/units.js';
import type { DomainTier } from '../net/topology.js';
import type { NodeSelector } from '../sim/faults.js';
import type { ResolveContext } from './fault-kind.js';
import { resolveDomain } from './domain-target.js';
import { resolveRole } from './node-selector.js';

const TARGET_HINT =
  'expected any, all, primary, role:<name>, or a fault domain: zone, rack, zone:<name>, rack:<name>';

export const nemesisFields = {
  every: delaySchema(exponentialDelay).describe(
    'time between faults: a duration means exponential with that mean, or a delay distribution',
  ),
  for: delaySchema(constantDelay).describe(
    'how long each fault lasts: a duration means constant, or a delay distribution',
  ),
  target: z
    .string({ error: TARGET_HINT })
    .regex(/^(any|all|primary|role:.+|zone|rack|zone:.+|rack:.+)$/, { error: TARGET_HINT })
    .default('any')
    .describe(
      'which node to hit: any, all at once (a power loss; ignores maxDown), the protocol’s primary (its first role), role:<name>, or every node of a fault domain: zone or rack (one drawn at each strike), zone:<name> or rack:<name> (default any)',
    ),
};

/** A nemesis's `target` as a selector; `all` only where the kind can strike every node. */
export function resolveTarget(
  target: string,
  ctx: ResolveContext,
  allowAll: boolean,
): NodeSelector | undefined {
  if (target === 'any') return 'random';
  if (target === 'all') {
    if (allowAll) return 'all';
    ctx.problems.push({
      path: [...ctx.path, 'target'],
      message: 'this nemesis targets any node or a role’s holder, not all',
    });
    return undefined;
  }
  const domain = /^(zone|rack)(?::(.+))?$/.exec(target);
  if (domain !== null) {
    const r = resolveDomain(domain[1] as DomainTier, domain[2], ctx.topology);
    if (r.ok) return r.value;
    ctx.problems.push({ path: [...ctx.path, 'target'], message: r.message });
    return undefined;
  }
  const role = resolveRole(target, ctx.roles);
  if (role?.ok === true) return role.value;
  ctx.problems.push({ path: [...ctx.path, 'target'], message: role?.message ?? TARGET_HINT });
  return undefined;
}
