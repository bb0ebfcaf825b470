/**
 * Fault targets as a scenario writes them: a node name (`n2`), `random` (drawn when the fault
 * strikes), `all` (every node at once), `role:<name>` (whoever holds the role then, e.g.
 * `role:leader`) or `primary`, which names the protocol's first role. Roles come from the
 * protocol's definition, so a target the protocol cannot have is an error before the run.
 * Kinds that strike a group of nodes also take a fault domain (`{ zone: z2 }`, domain-target.ts).
 */
import { z } from 'zod';
import type { RoleDefinition } from '../core/protocol-definition.js';
import { show } from '../options/messages.js';
import { resolveNodeName, type Resolved } from '../options/node-names.js';
import type { NodeSelector } from '../sim/faults.js';
import { type DomainRef, domainRefSchema, resolveDomainRef } from './domain-target.js';
import type { ResolveContext } from './fault-kind.js';

const NODE_NAME = /^n[1-9]\d*$/;

/** What a target may be, for messages: `n1..n3, random, all, primary or role:leader`. */
function targetChoices(n: number, roles: readonly RoleDefinition[]): string {
  const named = roles.map((r) => `role:${r.name}`);
  return [`n1..n${n}`, 'random', 'all', ...(roles.length > 0 ? ['primary'] : []), ...named].join(
    ', ',
  );
}

/** `primary` or `role:<name>` as a role selector, checked against the protocol's roles. */
export function resolveRole(
  ref: string,
  roles: readonly RoleDefinition[],
): Resolved<{ readonly role: string }> | undefined {
  if (ref === 'primary') {
    const first = roles[0];
    if (first === undefined)
      return {
        ok: false,
        message: 'primary names the protocol’s first role, but it declares none',
      };
    return { ok: true, value: { role: first.name } };
  }
  if (!ref.startsWith('role:')) return undefined;
  const name = ref.slice('role:'.length);
  if (roles.some((r) => r.name === name)) return { ok: true, value: { role: name } };
  const known = roles.map((r) => r.name);
  const has = known.length === 0 ? 'declares no roles' : `has roles ${known.join(', ')}`;
  return { ok: false, message: `unknown role ${show(name)}: the protocol ${has}` };
}

/** A fault target: a node name, `random`, `all`, `primary` or `role:<name>`. */
export function resolveNodeSelector(
  ref: string,
  n: number,
  roles: readonly RoleDefinition[],
): Resolved<NodeSelector> {
  if (ref === 'random' || ref === 'all') return { ok: true, value: ref };
  const role = resolveRole(ref, roles);
  if (role !== undefined) return role;
  if (!NODE_NAME.test(ref)) {
    return { ok: false, message: `expected ${targetChoices(n, roles)}, got ${show(ref)}` };
  }
  return resolveNodeName(ref, n);
}

/** A node target, or a fault domain: `n2`, `random`, `all`, `role:leader`, `{ zone: z2 }`. */
export const targetSchema = z.union([z.string({ error: 'expected a node' }), domainRefSchema], {
  error:
    'expected a node (n1..nN, random, all, primary or role:<name>) or a fault domain ({ zone: z1 } or { rack: r1 })',
});

/** A target as `targetSchema` parsed it, resolved against the cluster and its topology. */
export function resolveFaultTarget(
  ref: string | DomainRef,
  ctx: ResolveContext,
): Resolved<NodeSelector> {
  return typeof ref === 'string'
    ? resolveNodeSelector(ref, ctx.nodes, ctx.roles)
    : resolveDomainRef(ref, ctx.topology);
}
