/**
 * Atomic commitment's safety property, checked from outside the cluster after every step of
 * every participant (Gray & Lamport §2, the Stability and Consistency requirements; BHG §7.2,
 * AC1: "all processes that reach a decision reach the same one"):
 *
 * - atomic-commit: no transaction is committed at one participant and aborted at another (or
 *   committed at a participant that had aborted it or never prepared it: one that acknowledges
 *   a COMMIT it cannot apply has the transaction applied on some participants and not on it).
 *
 * The observer reads each participant's ghost list of the decisions it acted on (`decided`),
 * only past the part it already saw; a participant that crashed starts a new list.
 */
import type { NodeId } from '../../core/ids.js';
import type { ClusterObserver, ObservedProperty } from '../../core/protocol.js';
import type { TwoPcState } from './twopc-state.js';

export function createTwoPcObserver(): ClusterObserver<TwoPcState> {
  let checks = 0;
  let violation: ObservedProperty['violation'];
  const outcomes = new Map<number, { readonly commit: boolean; readonly node: NodeId }>();
  const seen = new Map<NodeId, { list: readonly unknown[]; at: number }>();

  return {
    observe(node, s, now) {
      if (s === undefined || s.role !== 'participant') return;
      let mine = seen.get(node);
      if (mine === undefined || mine.list !== s.decided) {
        mine = { list: s.decided, at: 0 };
        seen.set(node, mine);
      }
      for (; mine.at < s.decided.length; mine.at++) {
        const d = s.decided[mine.at]!;
        checks++;
        const first = outcomes.get(d.txn);
        if (first === undefined) outcomes.set(d.txn, { commit: d.commit, node });
        else if (first.commit !== d.commit && violation === undefined) {
          const verb = (c: boolean) => (c ? 'committed' : 'aborted');
          violation = {
            atUs: now,
            node,
            message: `${verb(d.commit)} transaction ${d.txn}, which ${first.node} ${verb(first.commit)}`,
          };
        }
      }
    },
    results() {
      const p = { name: 'atomic-commit', checks };
      return [violation === undefined ? p : { ...p, violation }];
    },
  };
}
