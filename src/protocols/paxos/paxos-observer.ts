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
 * The observer only reads states: a lookup per register whose committed value changed. The three
 * properties themselves are shared with Multi-Paxos (shared/consensus-checks.ts).
 */
import type { NodeId } from '../../core/ids.js';
import type { ClusterObserver } from '../../core/protocol.js';
import type { Micros } from '../../core/time.js';
import { ConsensusChecks } from '../shared/consensus-checks.js';
import type { Committed } from './messages.js';
import type { PaxosState } from './paxos-state.js';

export function createPaxosObserver(): ClusterObserver<PaxosState> {
  const checks = new ConsensusChecks();
  /** Per node, per key: the committed value last seen (the same object while unchanged). */
  const seen = new Map<NodeId, Map<string, Committed>>();

  function learned(
    node: NodeId,
    key: string,
    c: Committed,
    before: Committed | undefined,
    now: Micros,
  ) {
    checks.integrity(
      node,
      now,
      before !== undefined && c.instance <= before.instance
        ? () =>
            `learned instance ${c.instance} of ${key} (value ${c.value}) after it had learned ` +
            `instance ${before.instance} (value ${before.value})`
        : undefined,
    );
    checks.validity(
      node,
      now,
      c.value !== null && checks.wasRequested(String(c.value)),
      () => `learned ${c.value} for instance ${c.instance} of ${key}, a value no client asked for`,
    );
    checks.agreement(
      node,
      now,
      `${key} ${c.instance}`,
      String(c.value),
      (first) =>
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
      if (s.lastRequested !== null) checks.request(String(s.lastRequested));
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
    results: () => checks.results(),
  };
}
