/**
 * A Raft node's state in the few values a person reads at a moment of a run (a report's time
 * travel): role, term and vote, the log's last index, how far it is written and how far durable
 * (the rest is volatile, lost by a crash), the commit and applied indexes, the snapshot's index,
 * and, for a follower, the leader it knows.
 */
import type { StateSummary } from '../../core/protocol.js';
import type { RaftState } from './raft-state.js';

export function describeRaftState(s: RaftState): StateSummary {
  return {
    role: s.role.kind,
    term: s.term,
    votedFor: s.votedFor,
    lastIndex: s.log.lastIndex,
    writtenIndex: s.writtenIndex,
    durableIndex: s.durableIndex,
    commitIndex: s.commitIndex,
    lastApplied: s.lastApplied,
    snapshotIndex: s.snapshot?.index ?? 0,
    recovering: s.recovering,
  };
}
