/**
 * Fault targets as a scenario writes them: a node name (`n2`), `random` (drawn when the fault
 * strikes), `all` (every node at once), `role:<name>` (whoever holds the role then, e.g.
 * `role:leader`) or `primary`, which names the protocol's first role. Roles come from the
 * protocol's definition, so a target the protocol cannot have is an error before the run.
 */
import type { RoleDefinition } from '../core/protocol-definition.js';
import { show } from '../options/messages.js';
import { resolveNodeName, type Resolved } from '../options/node-names.js';
import type { NodeSelector } from '../sim/faults.js';

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
