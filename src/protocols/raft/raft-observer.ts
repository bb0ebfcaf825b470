/**
 * Raft's safety properties (extended paper, Figure 3), checked from outside the cluster after
 * every step of every node, the way TigerBeetle's VOPR state checker watches its replicas:
 *
 * - election-safety: at most one leader per term, over the whole run (crashes included).
 * - log-matching: two logs with an entry of the same index and term agree on every entry up to
 *   it. Each node keeps a chain hash over its own log (raft-log.ts), so this compares the chains
 *   at every (index, term) any node has ever held.
 * - leader-completeness: if an entry is committed in a term, the leaders of every higher term hold
 *   it. A new leader of term T must hold the highest index committed in a term below T (its
 *   chain there equals the committed chain). A node's commitIndex that advances while it is at
 *   term t counts as committed in t: the entry was committed in t or earlier, so this never
 *   demands more than the property does. (A leader of an older term, e.g. a candidate paused
 *   long enough for later terms to commit entries, owes nothing to them.)
 * - state-machine-safety: no two nodes commit, and so apply, different entries at an index.
 * - leader-stability: a node stands for election (PreVote or RequestVote) only once it has not
 *   heard from a leader for an election timeout (Figure 2, "Followers"; §5.2). A needless
 *   election costs clients a leader and, without PreVote, deposes a healthy one. Measured from
 *   outside in virtual time, from the step in which the node last recorded hearing from a leader
 *   (`lastHeardUs` changed), against half the minimum timeout: a node's timers run on its own
 *   clock, and half leaves room for any drift a scenario may give it.
 *
 * The observer only reads states; what it costs is a few map lookups per step, plus the entries
 * each step appended or committed.
 */
import type { NodeId } from '../../core/ids.js';
import type { ClusterObserver, ObservedProperty } from '../../core/protocol.js';
import { formatDuration, type Micros } from '../../core/time.js';
import type { RaftState } from './raft-state.js';

type Property =
  | 'election-safety'
  | 'log-matching'
  | 'leader-completeness'
  | 'state-machine-safety'
  | 'leader-stability';
const PROPERTIES: readonly Property[] = [
  'election-safety',
  'log-matching',
  'leader-completeness',
  'state-machine-safety',
  'leader-stability',
];

/** `electionTimeoutUs` is the minimum election timeout the nodes run with. */
export function createRaftObserver(electionTimeoutUs: Micros): ClusterObserver<RaftState> {
  const checks = new Map<Property, number>(PROPERTIES.map((p) => [p, 0]));
  const violations = new Map<Property, NonNullable<ObservedProperty['violation']>>();
  /** Term → the node that led it. */
  const leaders = new Map<number, NodeId>();
  /** Index → (term → chain): every entry any node's log has held. */
  const entries = new Map<number, Map<number, number>>();
  /** Index → chain of the entry committed there. */
  const committed = new Map<number, number>();
  /** Term → the highest index a node committed while at that term. */
  const committedAtTerm = new Map<number, number>();
  /** Per node: the commitIndex already checked, and the term it was last seen leading. */
  const commitSeen = new Map<NodeId, number>();
  const ledTerm = new Map<NodeId, number>();
  /** Per node: its `lastHeardUs` as last seen, and the virtual time it last changed. */
  const heard = new Map<NodeId, { local: Micros; atUs: Micros }>();
  /** Per node: the role object last seen (a new election attempt is a new role object). */
  const lastRole = new Map<NodeId, RaftState['role']>();

  function violate(p: Property, node: NodeId, now: Micros, message: string): void {
    if (!violations.has(p)) violations.set(p, { atUs: now, node, message });
  }
  const count = (p: Property) => checks.set(p, (checks.get(p) as number) + 1);

  function checkLogMatching(node: NodeId, s: RaftState, now: Micros): void {
    const log = s.log;
    const from = Math.max(log.changedFrom, log.snapshotIndex + 1);
    for (let i = from; i <= log.lastIndex; i++) {
      const term = log.termAt(i) as number;
      const chain = log.chainAt(i) as number;
      let byTerm = entries.get(i);
      if (byTerm === undefined) {
        byTerm = new Map();
        entries.set(i, byTerm);
      }
      const seen = byTerm.get(term);
      count('log-matching');
      if (seen === undefined) byTerm.set(term, chain);
      else if (seen !== chain)
        violate(
          'log-matching',
          node,
          now,
          `entry ${i} of term ${term} is preceded by a different log prefix than on another node`,
        );
    }
    log.changedFrom = Number.POSITIVE_INFINITY;
  }

  function checkCommits(node: NodeId, s: RaftState, now: Micros): void {
    const seen = commitSeen.get(node) ?? 0;
    if (s.commitIndex <= seen) return;
    for (let i = Math.max(seen + 1, s.log.snapshotIndex); i <= s.commitIndex; i++) {
      const chain = s.log.chainAt(i);
      if (chain === undefined) continue;
      count('state-machine-safety');
      const other = committed.get(i);
      if (other === undefined) committed.set(i, chain);
      else if (other !== chain)
        violate(
          'state-machine-safety',
          node,
          now,
          `committed a different entry at index ${i} (term ${s.log.termAt(i)}) ` +
            'than another node committed there',
        );
    }
    commitSeen.set(node, s.commitIndex);
    if (s.commitIndex > (committedAtTerm.get(s.term) ?? 0))
      committedAtTerm.set(s.term, s.commitIndex);
  }

  function checkNewLeader(node: NodeId, s: RaftState, now: Micros): void {
    if (ledTerm.get(node) === s.term) return;
    ledTerm.set(node, s.term);
    count('election-safety');
    const other = leaders.get(s.term);
    if (other === undefined) leaders.set(s.term, node);
    else if (other !== node)
      violate(
        'election-safety',
        node,
        now,
        `became leader of term ${s.term}, which ${other} already led`,
      );
    // Leader completeness: everything committed in an earlier term must be in the new leader's log.
    let highestCommitted = 0;
    for (const [term, index] of committedAtTerm)
      if (term < s.term && index > highestCommitted) highestCommitted = index;
    if (highestCommitted <= s.log.snapshotIndex) return;
    count('leader-completeness');
    const want = committed.get(highestCommitted);
    const have = s.log.chainAt(highestCommitted);
    if (have === undefined)
      violate(
        'leader-completeness',
        node,
        now,
        `became leader of term ${s.term} with a log ending at ${s.log.lastIndex}, ` +
          `but index ${highestCommitted} was committed in an earlier term`,
      );
    else if (want !== undefined && have !== want)
      violate(
        'leader-completeness',
        node,
        now,
        `became leader of term ${s.term} without the entry committed at index ` +
          `${highestCommitted} in an earlier term`,
      );
  }

  function checkElectionStart(node: NodeId, s: RaftState, now: Micros): void {
    // Updated in place: this runs after every step of every node.
    let h = heard.get(node);
    if (h === undefined) {
      h = { local: s.lastHeardUs, atUs: now };
      heard.set(node, h);
    } else if (h.local !== s.lastHeardUs) {
      h.local = s.lastHeardUs;
      h.atUs = now;
    }
    const since = h.atUs;
    if (lastRole.get(node) === s.role) return;
    lastRole.set(node, s.role);
    if (s.role.kind !== 'precandidate' && s.role.kind !== 'candidate') return;
    count('leader-stability');
    if (now - since >= electionTimeoutUs / 2) return;
    const what = s.role.kind === 'candidate' ? `RequestVote, term ${s.term}` : 'PreVote';
    violate(
      'leader-stability',
      node,
      now,
      `stood for election (${what}) ${formatDuration(now - since)} after it last heard from ` +
        `a leader, within the minimum election timeout of ${formatDuration(electionTimeoutUs)}`,
    );
  }

  return {
    observe(node, s, now) {
      if (s === undefined) {
        // A crash: the node's volatile commitIndex starts again from its snapshot.
        commitSeen.delete(node);
        ledTerm.delete(node);
        heard.delete(node);
        lastRole.delete(node);
        return;
      }
      checkElectionStart(node, s, now);
      if (s.log.changedFrom !== Number.POSITIVE_INFINITY) checkLogMatching(node, s, now);
      checkCommits(node, s, now);
      if (s.role.kind === 'leader') checkNewLeader(node, s, now);
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
