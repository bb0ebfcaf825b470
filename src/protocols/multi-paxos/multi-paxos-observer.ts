/**
 * Consensus's safety properties (Paxos Made Simple §2.1) for every slot of the log, checked
 * from outside the cluster after every step of every node (shared/consensus-checks.ts):
 *
 * - agreement: no two nodes learn different commands for one slot, over the whole run.
 * - validity: a learned command is a no-op or one a client asked some node for.
 * - integrity: within one life a node learns each slot once. A crash forgets what was learned
 *   (it is volatile); the node learns it again, and agreement holds it to the same command.
 *
 * Each step lists the slots it learned (`learned`, ghost data cleared at the step's start), so
 * the observer reads only what is new. Slots folded into a snapshot the node installed are not
 * learned one by one; linearizability judges what they did to the store.
 */
import type { NodeId } from '../../core/ids.js';
import type { ClusterObserver } from '../../core/protocol.js';
import { ConsensusChecks } from '../shared/consensus-checks.js';
import type { MultiPaxosState } from './multi-paxos-state.js';

export function createMultiPaxosObserver(): ClusterObserver<MultiPaxosState> {
  const checks = new ConsensusChecks();
  /** Per node, in its current life: the slots it learned. */
  const lives = new Map<NodeId, Set<number>>();

  return {
    observe(node, s, now) {
      if (s === undefined) {
        lives.delete(node);
        return;
      }
      if (s.lastRequested !== null) checks.request(s.lastRequested);
      if (s.learned.length === 0) return;
      let mine = lives.get(node);
      if (mine === undefined) {
        mine = new Set();
        lives.set(node, mine);
      }
      for (const [slot, c] of s.learned) {
        const twice = mine.has(slot);
        mine.add(slot);
        checks.integrity(node, now, twice ? () => `learned slot ${slot} a second time` : undefined);
        checks.validity(
          node,
          now,
          c.id === 'noop' || checks.wasRequested(c.id),
          () => `learned ${c.id} for slot ${slot}, a command no client asked for`,
        );
        checks.agreement(
          node,
          now,
          String(slot),
          c.id,
          (first) => `learned ${c.id} for slot ${slot}, where ${first.node} learned ${first.value}`,
        );
      }
    },
    results: () => checks.results(),
  };
}
