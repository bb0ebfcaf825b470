/**
 * Consensus's safety properties (Paxos Made Simple §2.1), checked from outside the cluster after
 * every step of every node, for every key's every instance:
 *
 * - agreement: no two nodes learn different values for one instance of a key ("only a single
 *   value is chosen"). Each instance's first learned value is kept, over the whole run.
 * - validity: a learned value is one a client asked some node to write ("only a value that has
 *   been proposed may be chosen"); the initial null is learned by nobody.
 * - integrity: a node learns each instance once: within one life its committed instance of a key
 *   only grows, and never changes value in place ("a process never learns that a value has been
 *   chosen unless it actually has been", as a learner sees it). A crash may lose a learned value
 *   that was not yet durable; the node learns it again, and agreement holds it to the same value.
 *
 * The observer only reads states: a lookup per register whose committed value changed.
 */
import type { NodeId } from '../../core/ids.js';
import type { ClusterObserver, ObservedProperty } from '../../core/protocol.js';
import type { Micros } from '../../core/time.js';
import type { Committed, Value } from './messages.js';
import type { PaxosState } from './paxos-state.js';

type Property = 'agreement' | 'validity' | 'integrity';
const PROPERTIES: readonly Property[] = ['agreement', 'validity', 'integrity'];

export function createPaxosObserver(): ClusterObserver<PaxosState> {
  const checks = new Map<Property, number>(PROPERTIES.map((p) => [p, 0]));
  const violations = new Map<Property, NonNullable<ObservedProperty['violation']>>();
  /** `key instance` → the value first learned there, and by whom. */
  const chosen = new Map<string, { readonly value: Value; readonly node: NodeId }>();
  /** Every value a client asked any node to write. */
  const requested = new Set<number>();
  /** Per node, per key: the committed value last seen (the same object while unchanged). */
  const seen = new Map<NodeId, Map<string, Committed>>();

  function violate(p: Property, node: NodeId, now: Micros, message: string): void {
    if (!violations.has(p)) violations.set(p, { atUs: now, node, message });
  }
  const count = (p: Property) => checks.set(p, (checks.get(p) as number) + 1);

  function learned(
    node: NodeId,
    key: string,
    c: Committed,
    before: Committed | undefined,
    now: Micros,
  ) {
    count('integrity');
    if (before !== undefined && c.instance <= before.instance)
      violate(
        'integrity',
        node,
        now,
        `learned instance ${c.instance} of ${key} (value ${c.value}) after it had learned ` +
          `instance ${before.instance} (value ${before.value})`,
      );
    count('validity');
    if (c.value === null || !requested.has(c.value))
      violate(
        'validity',
        node,
        now,
        `learned ${c.value} for instance ${c.instance} of ${key}, a value no client asked for`,
      );
    count('agreement');
    const id = `${key} ${c.instance}`;
    const first = chosen.get(id);
    if (first === undefined) chosen.set(id, { value: c.value, node });
    else if (first.value !== c.value)
      violate(
        'agreement',
        node,
        now,
        `learned ${c.value} for instance ${c.instance} of ${key}, where ${first.node} ` +
          `learned ${first.value}`,
      );
  }

  return {
    observe(node, s, now) {
      if (s === undefined) {
        seen.delete(node);
        return;
      }
      if (s.lastRequested !== null) requested.add(s.lastRequested);
      let mine = seen.get(node);
      if (mine === undefined) {
        mine = new Map();
        seen.set(node, mine);
      }
      for (const [key, r] of s.registers) {
        const before = mine.get(key);
        if (before === r.committed) continue;
        mine.set(key, r.committed);
        // A register created empty has learned nothing; one copied unchanged is not news.
        const c = r.committed;
        if (c.instance === 0) continue;
        if (before !== undefined && before.instance === c.instance && before.value === c.value)
          continue;
        learned(node, key, c, before, now);
      }
    },
    results() {
      return PROPERTIES.map((name) => {
        const v = violations.get(name);
        return v === undefined
          ? { name, checks: checks.get(name) as number }
          : { name, checks: checks.get(name) as number, violation: v };
      });
    },
  };
}
