/**
 * Which nodes hold which role, as the protocol announces it with marks (core/protocol-definition
 * `RoleDefinition`): a fault aimed at `role:leader` strikes whoever holds it now. A role held by
 * one node at a time stays with whichever node took it last, crashed or not, as a client would
 * believe; a shared role is held by every node that took it and has not left it.
 */
import type { RoleDefinition } from '../core/protocol-definition.js';

export class RoleTracker {
  /** Mark name → the roles it gives (+) or takes away (-). */
  private readonly byMark = new Map<string, { role: RoleDefinition; takes: boolean }[]>();
  private readonly holders = new Map<string, number[]>();

  constructor(roles: readonly RoleDefinition[]) {
    for (const role of roles) {
      this.holders.set(role.name, []);
      this.on(role.takenBy, role, true);
      if (role.leftBy !== undefined) this.on(role.leftBy, role, false);
    }
  }

  private on(mark: string, role: RoleDefinition, takes: boolean): void {
    const list = this.byMark.get(mark) ?? [];
    list.push({ role, takes });
    this.byMark.set(mark, list);
  }

  /** A node emitted a mark: update the roles it announces. */
  mark(node: number, name: string): void {
    const changes = this.byMark.get(name);
    if (changes === undefined) return;
    for (const { role, takes } of changes) {
      const now = this.holders.get(role.name) as number[];
      const others = now.filter((n) => n !== node);
      if (!takes) this.holders.set(role.name, others);
      else if (role.shared === true) this.holders.set(role.name, [...others, node].sort(byIndex));
      else this.holders.set(role.name, [node]);
    }
  }

  /** The nodes holding `role` now, in index order (empty when none, or no such role). */
  holdersOf(role: string): readonly number[] {
    return this.holders.get(role) ?? [];
  }
}

const byIndex = (a: number, b: number): number => a - b;
