/**
 * Coverage marks, part of the node contract: a protocol emits `{ type: 'mark', name }` at the
 * moments worth counting (a step-down, a torn tail recovered, a snapshot installed), and traces,
 * coverage tests and metrics read them. These are the standard names every replication protocol
 * shares, so one metrics collector and one role tracker serve them all; a protocol's own marks
 * are named `<protocol>.<what>` (e.g. `raft.conflict-truncated`).
 */
export const MARKS = {
  /** A node's failure detector suspects the primary or leader. */
  suspect: 'fd.suspect',
  /** A node became primary / leader. */
  promoted: 'role.primary',
  /** A restarted node has caught up with the primary. */
  caughtUp: 'recovery.caught-up',
  /** Value: microseconds from the primary's append to a backup's durable acknowledgement. */
  replicationLagUs: 'replication.lag-us',
} as const;
