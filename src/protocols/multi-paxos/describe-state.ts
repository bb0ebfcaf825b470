/**
 * A Multi-Paxos node's state in the few values a person reads at a moment of a run (a report's
 * time travel): role and ballot, the promise, how far the log is applied and chosen, how many
 * acceptances it holds, the snapshot's slot, and for a leader its next slot and open proposals.
 */
import type { StateSummary } from '../../core/protocol.js';
import type { MultiPaxosState } from './multi-paxos-state.js';

export function describeMultiPaxosState(s: MultiPaxosState): StateSummary {
  const r = s.role;
  return {
    role: r.kind,
    ballot: r.kind === 'follower' ? null : r.ballot,
    promised: s.promised,
    leader: s.leader,
    applied: s.applied,
    chosenKept: s.chosen.size,
    accepted: s.accepted.size,
    snapshotSlot: s.snapshot?.index ?? 0,
    nextSlot: r.kind === 'leader' ? r.nextSlot : null,
    proposals: r.kind === 'leader' ? r.proposals.size : null,
    roundDurable: s.roundDurable,
  };
}
