/**
 * The fields every random nemesis shares: how often it strikes (`every`), how long each fault
 * lasts (`for`) and which nodes it hits (`target`), and the resolution of `target` against the
 * protocol's roles. A kind adds its own fields beside these (partition `shapes`, skew `bumpMax`).
 */
import { z } from 'zod';
import { constantDelay, delaySchema, exponentialDelay } from '../options/units.js';
import type { NodeSelector } from '../sim/faults.js';
import type { ResolveContext } from './fault-kind.js';
import { resolveRole } from './node-selector.js';

const TARGET_HINT = 'expected any, all, primary or role:<name>';

export const nemesisFields = {
  every: delaySchema(exponentialDelay).describe(
    'time between faults: a duration means exponential with that mean, or a delay distribution',
  ),
  for: delaySchema(constantDelay).describe(
    'how long each fault lasts: a duration means constant, or a delay distribution',
  ),
  target: z
    .string({ error: TARGET_HINT })
    .regex(/^(any|all|primary|role:.+)$/, { error: TARGET_HINT })
    .default('any')
    .describe(
      'which node to hit: any, all at once (a power loss; ignores maxDown), the protocol’s primary (its first role), or role:<name> (default any)',
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
  const role = resolveRole(target, ctx.roles);
  if (role?.ok === true) return role.value;
  ctx.problems.push({ path: [...ctx.path, 'target'], message: role?.message ?? TARGET_HINT });
  return undefined;
}
