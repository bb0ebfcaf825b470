/**
 * Consensus's safety requirements (Lamport, Paxos Made Simple §2.1), as a cluster observer
 * checks them from outside, for any protocol that decides one value per instance (a key's
 * register change in single-decree Paxos, a log slot in Multi-Paxos):
 *
 * - agreement: no two nodes learn different values for one instance ("only a single value is
 *   chosen"); each instance's first learned value is kept over the whole run.
 * - validity: a learned value is one that was proposed ("only a value that has been proposed may
 *   be chosen"): one a client asked for, or one the protocol may propose on its own (a no-op).
 * - integrity: a node learns an instance once ("a process never learns that a value has been
 *   chosen unless it actually has been", as a learner sees it); the caller judges what counts
 *   as learning twice and reports the finding here.
 *
 * Values are compared by a fingerprint string the caller gives. Only the first violation of each
 * property is kept, with the node and the virtual time.
 */
import type { NodeId } from '../../core/ids.js';
import type { ObservedProperty } from '../../core/protocol.js';
import type { Micros } from '../../core/time.js';

type Property = 'agreement' | 'validity' | 'integrity';
const PROPERTIES: readonly Property[] = ['agreement', 'validity', 'integrity'];

export class ConsensusChecks {
  private readonly checks = new Map<Property, number>(PROPERTIES.map((p) => [p, 0]));
  private readonly violations = new Map<Property, NonNullable<ObservedProperty['violation']>>();
  /** Instance → the fingerprint first learned there, and by whom. */
  private readonly chosen = new Map<string, { readonly value: string; readonly node: NodeId }>();
  /** Fingerprints of every value a client asked for. */
  private readonly requested = new Set<string>();

  request(value: string): void {
    this.requested.add(value);
  }

  wasRequested(value: string): boolean {
    return this.requested.has(value);
  }

  /** Counts one integrity check; `broken` (a sentence) when the node learned the instance twice. */
  integrity(node: NodeId, now: Micros, broken: (() => string) | undefined): void {
    this.count('integrity');
    if (broken !== undefined) this.violate('integrity', node, now, broken());
  }

  /** Counts one validity check; `valid` false violates it with `message`. */
  validity(node: NodeId, now: Micros, valid: boolean, message: () => string): void {
    this.count('validity');
    if (!valid) this.violate('validity', node, now, message());
  }

  /**
   * `node` learned the value fingerprinted `value` for `instance`; `message(first)` says what
   * disagrees with the value `first.node` learned there first.
   */
  agreement(
    node: NodeId,
    now: Micros,
    instance: string,
    value: string,
    message: (first: { readonly value: string; readonly node: NodeId }) => string,
  ): void {
    this.count('agreement');
    const first = this.chosen.get(instance);
    if (first === undefined) this.chosen.set(instance, { value, node });
    else if (first.value !== value) this.violate('agreement', node, now, message(first));
  }

  results(): ObservedProperty[] {
    return PROPERTIES.map((name) => {
      const v = this.violations.get(name);
      const checks = this.checks.get(name) as number;
      return v === undefined ? { name, checks } : { name, checks, violation: v };
    });
  }

  private count(p: Property): void {
    this.checks.set(p, (this.checks.get(p) as number) + 1);
  }

  private violate(p: Property, node: NodeId, now: Micros, message: string): void {
    if (!this.violations.has(p)) this.violations.set(p, { atUs: now, node, message });
  }
}
