/**
 * Raft (Ongaro & Ousterhout, USENIX ATC'14, extended version; Ongaro's thesis, 2014) replicating
 * a key-value store with client sessions.
 *
 * - Elections with randomized timeouts; PreVote (thesis §9.6) so a node cut off from the cluster
 *   does not bump terms and depose a healthy leader when it returns; check-quorum (§6.2) so a
 *   leader that cannot reach a majority steps down; leader stickiness (§4.2.3): a node that
 *   heard from a leader within the minimum election timeout ignores RequestVote and PreVote.
 * - Log replication with Figure 2's consistency check and conflict truncation, a no-op at the
 *   start of each term, and the commit rule of §5.4.2: only an entry of the current term is
 *   committed by counting replicas.
 * - Persistence before replying (Figure 2): term and vote are fsynced before any message goes
 *   out in that term (the outbox), log entries before the node counts or acknowledges them. A
 *   failed fsync rewrites the data (fsyncgate). Recovery reads the durable image and drops a
 *   torn tail at the first bad checksum.
 * - Client sessions (§6.3) so a command retried after it committed is applied once; reads by
 *   ReadIndex (§6.4): wait until this term's no-op commits, note the commitIndex, confirm
 *   leadership with a heartbeat round, then answer once that index is applied.
 * - Log compaction (§5): every `snapshotEvery` applied entries the node writes a new WAL that
 *   starts with a snapshot, and a follower behind the leader's snapshot gets InstallSnapshot.
 *
 * Left out: membership changes and leader transfer; batching of client commands beyond what one
 * step appends; flow control beyond `batchMax` entries per AppendEntries.
 *
 * State is mutated in place and returned: the host owns it and drops it on a crash.
 */
import { assert } from '../../core/assert.js';
import type { KvInput, KvOutput } from '../../core/history.js';
import type { NodeId } from '../../core/ids.js';
import type {
  ClientRequest,
  DiskCompletion,
  NodeContext,
  Protocol,
  Step,
} from '../../core/protocol.js';
import { MARKS } from '../../core/marks.js';
import { redirect } from '../shared/redirect.js';
import type { Entry, RaftCommand, RaftEffect, RaftMessage } from './messages.js';
import { onMetaSynced, persistMeta, send } from './meta.js';
import { createRaftConfig, type RaftOptions } from './raft-config.js';
import { digestOf } from './raft-log.js';
import type { Leader, PendingRead, RaftState } from './raft-state.js';
import { SessionKv } from './session-kv.js';
import { createRaftObserver } from './raft-observer.js';
import { firstBoot, recover } from './recovery.js';
import {
  finishCompaction,
  isCompactionDisk,
  maybeSnapshot,
  onCompactionDisk,
  startCompaction,
} from './snapshots.js';
import { electionTimer } from './timers.js';
import { appendEntry, flushWal, IGNORED_TAG, INIT_TAG, onWalSynced, truncateLog } from './wal.js';

export type { RaftOptions } from './raft-config.js';

type Fx = RaftEffect;

export function createRaft(
  options: RaftOptions,
  bugs: ReadonlySet<string>,
  nodes: readonly NodeId[],
): Protocol<RaftState, RaftMessage, KvInput, KvOutput> {
  const cfg = createRaftConfig(options, bugs, nodes);

  const step = (s: RaftState, fx: Fx[]): Step<RaftState, RaftMessage, KvOutput> => {
    flushWal(s, fx);
    return { state: s, effects: fx };
  };

  // ------------------------------------------------------------------ durability

  /** The rewritten WAL is in place: its entries are durable, and InstallSnapshot is answered. */
  function onRewriteDurable(s: RaftState, ctx: NodeContext, fx: Fx[]): void {
    const { compaction: c, held } = finishCompaction(s);
    fx.push({ type: 'mark', name: 'raft.snapshot-durable' });
    onDurable(s, held, ctx, fx);
    if (c.replyTo !== undefined && c.replyTo.term === s.term) {
      send(
        s,
        c.replyTo.to,
        {
          type: 'InstallSnapshotReply',
          term: s.term,
          matchIndex: Math.min(c.snapshot.index, s.durableIndex),
          probe: 0,
        },
        fx,
      );
    }
  }

  function onDurable(s: RaftState, index: number, ctx: NodeContext, fx: Fx[]): void {
    const upTo = Math.min(index, s.log.lastIndex);
    if (upTo <= s.durableIndex) return;
    s.durableIndex = upTo;
    if (s.role.kind === 'leader') advanceCommit(s, s.role, ctx, fx);
    else if (s.role.kind === 'follower' && s.role.leader !== null) {
      send(
        s,
        s.role.leader,
        {
          type: 'AppendEntriesReply',
          term: s.term,
          success: true,
          matchIndex: Math.min(s.verifiedIndex, s.durableIndex),
          conflictIndex: 0,
          probe: s.leaderProbe,
        },
        fx,
      );
    }
  }

  // ------------------------------------------------------------------ roles

  /** A follower that heard from a live leader within the minimum election timeout (§4.2.3). */
  function heardFromLeader(s: RaftState, ctx: NodeContext): boolean {
    if (s.role.kind === 'leader') return true;
    return (
      s.role.kind === 'follower' &&
      s.role.leader !== null &&
      ctx.now - s.lastHeardUs < cfg.electionTimeoutUs
    );
  }

  /** Moves to `term` (if newer) as a follower; a leader steps down. Persists a new term. */
  function becomeFollower(
    s: RaftState,
    term: number,
    leader: NodeId | null,
    ctx: NodeContext,
    fx: Fx[],
    persist = true,
  ): void {
    if (s.role.kind === 'leader') stepDown(s, s.role, ctx, fx);
    if (term > s.term) {
      s.term = term;
      s.votedFor = null;
      if (persist) persistMeta(s, fx);
    }
    if (s.role.kind !== 'follower' || s.role.leader !== leader) {
      s.verifiedIndex = Math.min(s.verifiedIndex, s.commitIndex);
      s.leaderProbe = 0;
    }
    s.role = { kind: 'follower', leader };
  }

  /**
   * A deposed leader answers waiting writes `info`: they may still commit under the next leader.
   * Waiting reads fail: a read that was not answered changed nothing.
   */
  function stepDown(s: RaftState, l: Leader, ctx: NodeContext, fx: Fx[]): void {
    for (const requestId of l.waiting.values())
      fx.push({ type: 'reply', requestId, outcome: { type: 'info', code: 'deposed' } });
    for (const r of l.reads)
      fx.push({
        type: 'reply',
        requestId: r.requestId,
        outcome: { type: 'fail', code: 'not-leader' },
      });
    fx.push({ type: 'cancelTimer', name: 'heartbeat' });
    fx.push(electionTimer(cfg, ctx));
    s.role = { kind: 'follower', leader: null };
  }

  function startPreVote(s: RaftState, ctx: NodeContext, fx: Fx[]): void {
    fx.push({ type: 'mark', name: MARKS.suspect });
    fx.push(electionTimer(cfg, ctx));
    if (!cfg.preVote) return startElection(s, ctx, fx);
    s.role = { kind: 'precandidate', grants: new Set([s.id]) };
    if (s.role.grants.size >= cfg.quorum) return startElection(s, ctx, fx);
    for (const p of s.peers)
      send(
        s,
        p,
        {
          type: 'PreVote',
          term: s.term + 1,
          lastLogIndex: s.log.lastIndex,
          lastLogTerm: s.log.lastTerm,
        },
        fx,
      );
  }

  function startElection(s: RaftState, ctx: NodeContext, fx: Fx[]): void {
    s.term++;
    s.votedFor = s.id;
    s.role = { kind: 'candidate', votes: new Set([s.id]) };
    persistMeta(s, fx);
    fx.push(electionTimer(cfg, ctx));
    if (s.role.votes.size >= cfg.quorum) return becomeLeader(s, ctx, fx);
    requestVotes(s, s.role, fx);
  }

  /** Asks every peer that has not voted yet; repeated each heartbeat interval, as Figure 2 retries RPCs. */
  function requestVotes(
    s: RaftState,
    c: Extract<RaftState['role'], { kind: 'candidate' }>,
    fx: Fx[],
  ): void {
    for (const p of s.peers)
      if (!c.votes.has(p))
        send(
          s,
          p,
          {
            type: 'RequestVote',
            term: s.term,
            lastLogIndex: s.log.lastIndex,
            lastLogTerm: s.log.lastTerm,
          },
          fx,
        );
    fx.push({ type: 'setTimer', name: 'heartbeat', afterUs: cfg.heartbeatUs });
  }

  function becomeLeader(s: RaftState, ctx: NodeContext, fx: Fx[]): void {
    const nextIndex = new Map<NodeId, number>();
    const matchIndex = new Map<NodeId, number>();
    const lastAckUs = new Map<NodeId, number>();
    const probeAcked = new Map<NodeId, number>();
    for (const p of s.peers) {
      nextIndex.set(p, s.log.lastIndex + 1);
      matchIndex.set(p, 0);
      lastAckUs.set(p, ctx.now);
      probeAcked.set(p, 0);
    }
    const noopIndex = s.log.lastIndex + 1;
    const l: Leader = {
      kind: 'leader',
      since: ctx.now,
      nextIndex,
      matchIndex,
      lastAckUs,
      probeAcked,
      probe: 0,
      noopIndex,
      waiting: new Map(),
      reads: [],
      appendedAt: new Map(),
    };
    s.role = l;
    fx.push({ type: 'mark', name: MARKS.promoted });
    fx.push({ type: 'cancelTimer', name: 'election' });
    fx.push({ type: 'setTimer', name: 'heartbeat', afterUs: cfg.heartbeatUs });
    appendAsLeader(s, l, { cmd: { f: 'noop' } }, ctx, fx);
  }

  function upToDate(s: RaftState, lastLogIndex: number, lastLogTerm: number): boolean {
    if (cfg.bugs.voteIndexOnly) return lastLogIndex >= s.log.lastIndex;
    return (
      lastLogTerm > s.log.lastTerm ||
      (lastLogTerm === s.log.lastTerm && lastLogIndex >= s.log.lastIndex)
    );
  }

  // ------------------------------------------------------------------ leader

  function appendAsLeader(
    s: RaftState,
    l: Leader,
    c: RaftCommand,
    ctx: NodeContext,
    fx: Fx[],
  ): number {
    const index = s.log.lastIndex + 1;
    const digest = digestOf(`${s.term}|${JSON.stringify(c.cmd)}|${c.client ?? ''}|${c.seq ?? ''}`);
    appendEntry(s, { term: s.term, index, digest, ...c });
    l.appendedAt.set(index, ctx.now);
    for (const p of s.peers) sendAppend(s, l, p, l.probe, fx);
    if (cfg.bugs.ackBeforeFsync) advanceCommit(s, l, ctx, fx);
    return index;
  }

  /** AppendEntries from nextIndex (optimistically advanced), or InstallSnapshot when it is compacted. */
  function sendAppend(s: RaftState, l: Leader, to: NodeId, probe: number, fx: Fx[]): void {
    const next = l.nextIndex.get(to) ?? s.log.lastIndex + 1;
    if (next <= s.log.snapshotIndex && s.snapshot !== undefined) {
      send(s, to, { type: 'InstallSnapshot', term: s.term, snapshot: s.snapshot, probe }, fx);
      l.nextIndex.set(to, s.snapshot.index + 1);
      return;
    }
    const prevLogIndex = Math.max(next - 1, s.log.snapshotIndex);
    const entries = s.log.slice(prevLogIndex + 1, cfg.batchMax);
    send(
      s,
      to,
      {
        type: 'AppendEntries',
        term: s.term,
        prevLogIndex,
        prevLogTerm: s.log.termAt(prevLogIndex) as number,
        entries,
        leaderCommit: s.commitIndex,
        probe,
      },
      fx,
    );
    l.nextIndex.set(to, prevLogIndex + entries.length + 1);
  }

  function broadcast(s: RaftState, l: Leader, fx: Fx[]): void {
    for (const p of s.peers) {
      // A heartbeat also retransmits what a follower has not confirmed, in case it was lost. A
      // follower that has confirmed nothing yet is probed where nextIndex stands instead: its
      // answer (or refusal, with a conflict index) is what tells us where to start.
      const match = l.matchIndex.get(p) ?? 0;
      if (match > 0) l.nextIndex.set(p, match + 1);
      sendAppend(s, l, p, l.probe, fx);
    }
  }

  /** §5.4.2: commit the highest index a majority holds, but only by counting an entry of this term. */
  function advanceCommit(s: RaftState, l: Leader, ctx: NodeContext, fx: Fx[]): void {
    // The quorum-th highest acknowledged index, by insertion into a reused array (this runs on
    // every reply, so no allocation and no sort).
    const acks = cfg.ackScratch;
    acks[0] = cfg.bugs.ackBeforeFsync ? s.log.lastIndex : s.durableIndex;
    let len = 1;
    for (const p of s.peers) {
      const m = l.matchIndex.get(p) ?? 0;
      let i = len++;
      while (i > 0 && (acks[i - 1] as number) < m) {
        acks[i] = acks[i - 1] as number;
        i--;
      }
      acks[i] = m;
    }
    const n = acks[cfg.quorum - 1] as number;
    if (n > s.commitIndex && (cfg.bugs.commitPreviousTerm || s.log.termAt(n) === s.term)) {
      s.commitIndex = n;
      applyCommitted(s, ctx, fx);
    }
    serveReads(s, l, fx);
  }

  function applyCommitted(s: RaftState, ctx: NodeContext, fx: Fx[]): void {
    while (s.lastApplied < s.commitIndex) {
      const e = s.log.entry(s.lastApplied + 1);
      assert(
        e !== undefined,
        () => `${s.id}: committed index ${s.lastApplied + 1} missing from the log`,
      );
      s.lastApplied++;
      const out = s.sm.apply(e);
      if (s.role.kind === 'leader') {
        const requestId = s.role.waiting.get(e.index);
        if (requestId !== undefined) {
          s.role.waiting.delete(e.index);
          fx.push({ type: 'reply', requestId, outcome: { type: 'ok', value: out } });
        }
        const t = s.role.appendedAt.get(e.index);
        if (t !== undefined) {
          s.role.appendedAt.delete(e.index);
          fx.push({ type: 'mark', name: MARKS.replicationLagUs, value: ctx.now - t });
        }
      }
    }
    maybeSnapshot(cfg, s, fx);
  }

  /** ReadIndex (§6.4): admit reads once this term has committed, confirm leadership, answer when applied. */
  function serveReads(s: RaftState, l: Leader, fx: Fx[]): void {
    if (l.reads.length === 0) return;
    const termCommitted = cfg.bugs.readBeforeNoop || s.commitIndex >= l.noopIndex;
    let admitted = false;
    for (const r of l.reads) {
      if (r.readIndex < 0 && termCommitted) {
        r.readIndex = s.commitIndex;
        r.probe = l.probe + 1;
        admitted = true;
      }
    }
    if (admitted) {
      l.probe++;
      for (const p of s.peers) sendAppend(s, l, p, l.probe, fx);
    }
    let kept = 0;
    for (const r of l.reads) {
      let acks = 1;
      for (const p of s.peers) if ((l.probeAcked.get(p) ?? 0) >= r.probe) acks++;
      if (r.readIndex >= 0 && acks >= cfg.quorum && s.lastApplied >= r.readIndex)
        fx.push({
          type: 'reply',
          requestId: r.requestId,
          outcome: { type: 'ok', value: s.sm.get(r.key) },
        });
      else l.reads[kept++] = r;
    }
    l.reads.length = kept;
  }

  /** §6.2: a leader that has not heard from a majority within an election timeout steps down. */
  function checkQuorum(s: RaftState, l: Leader, ctx: NodeContext, fx: Fx[]): boolean {
    if (!cfg.checkQuorum || ctx.now - l.since < cfg.electionTimeoutUs) return true;
    let active = 1;
    for (const p of s.peers)
      if (ctx.now - (l.lastAckUs.get(p) ?? 0) < cfg.electionTimeoutUs) active++;
    if (active >= cfg.quorum) return true;
    fx.push({ type: 'mark', name: 'raft.check-quorum-step-down' });
    stepDown(s, l, ctx, fx);
    return false;
  }

  // ------------------------------------------------------------------ follower

  function onAppendEntries(
    s: RaftState,
    from: NodeId,
    m: Extract<RaftMessage, { type: 'AppendEntries' }>,
    ctx: NodeContext,
    fx: Fx[],
  ): void {
    if (s.role.kind === 'leader') return; // a second leader in this term: the observer reports it
    if (s.role.kind !== 'follower' || s.role.leader !== from)
      becomeFollower(s, m.term, from, ctx, fx);
    s.lastHeardUs = ctx.now;
    fx.push(electionTimer(cfg, ctx));
    // Entries inside our snapshot are committed, so they match the leader's: skip them.
    let prevLogIndex = m.prevLogIndex;
    let prevLogTerm = m.prevLogTerm;
    let entries = m.entries;
    if (prevLogIndex < s.log.snapshotIndex) {
      entries = entries.filter((e) => e.index > s.log.snapshotIndex);
      prevLogIndex = s.log.snapshotIndex;
      prevLogTerm = s.log.snapshotTerm;
    }
    if (s.log.termAt(prevLogIndex) !== prevLogTerm) {
      send(
        s,
        from,
        {
          type: 'AppendEntriesReply',
          term: s.term,
          success: false,
          matchIndex: 0,
          conflictIndex: conflictIndex(s, prevLogIndex),
          probe: m.probe,
        },
        fx,
      );
      return;
    }
    let grew = false;
    for (const e of entries) {
      const have = s.log.termAt(e.index);
      if (have === e.term) continue;
      grew = true;
      if (have !== undefined) {
        assert(
          e.index > s.commitIndex,
          () => `${s.id}: AppendEntries from ${from} would overwrite committed index ${e.index}`,
        );
        truncateLog(s, e.index);
        fx.push({ type: 'mark', name: 'raft.conflict-truncated' });
      }
      appendEntry(s, e);
    }
    const lastNew = prevLogIndex + entries.length;
    if (cfg.bugs.truncateOnStaleAppend && s.log.lastIndex > lastNew) {
      // The bug: treat the end of this (possibly stale, reordered) message as the end of the log.
      const from = Math.max(lastNew, s.commitIndex) + 1;
      if (from <= s.log.lastIndex) truncateLog(s, from);
    }
    s.verifiedIndex = Math.min(Math.max(s.verifiedIndex, lastNew), s.log.lastIndex);
    if (m.probe > s.leaderProbe) s.leaderProbe = m.probe;
    const commit = Math.min(
      m.leaderCommit,
      cfg.bugs.commitPastVerified ? s.log.lastIndex : lastNew,
    );
    if (commit > s.commitIndex) {
      s.commitIndex = commit;
      applyCommitted(s, ctx, fx);
    }
    if (s.recovering && s.commitIndex >= m.leaderCommit) {
      s.recovering = false;
      fx.push({ type: 'mark', name: MARKS.caughtUp });
    }
    // New entries are answered once they are durable (onDurable, carrying the probe); answering
    // now as well would only repeat the old matchIndex.
    if (!(grew && s.durableIndex < lastNew))
      send(
        s,
        from,
        {
          type: 'AppendEntriesReply',
          term: s.term,
          success: true,
          matchIndex: Math.min(s.verifiedIndex, s.durableIndex),
          conflictIndex: 0,
          probe: m.probe,
        },
        fx,
      );
  }

  /** Where the leader should retry: past our end, or the first index of the conflicting term (§5.3). */
  function conflictIndex(s: RaftState, prevLogIndex: number): number {
    if (prevLogIndex > s.log.lastIndex) return s.log.lastIndex + 1;
    const t = s.log.termAt(prevLogIndex);
    let i = prevLogIndex;
    while (i - 1 > Math.max(s.commitIndex, s.log.snapshotIndex) && s.log.termAt(i - 1) === t) i--;
    return Math.max(i, 1);
  }

  function onInstallSnapshot(
    s: RaftState,
    from: NodeId,
    m: Extract<RaftMessage, { type: 'InstallSnapshot' }>,
    ctx: NodeContext,
    fx: Fx[],
  ): void {
    if (s.role.kind === 'leader') return;
    if (s.role.kind !== 'follower' || s.role.leader !== from)
      becomeFollower(s, m.term, from, ctx, fx);
    s.lastHeardUs = ctx.now;
    fx.push(electionTimer(cfg, ctx));
    const snap = m.snapshot;
    if (snap.index <= s.commitIndex) {
      s.verifiedIndex = Math.max(s.verifiedIndex, Math.min(snap.index, s.log.lastIndex));
      send(
        s,
        from,
        {
          type: 'InstallSnapshotReply',
          term: s.term,
          matchIndex: Math.min(snap.index, s.durableIndex),
          probe: m.probe,
        },
        fx,
      );
      return;
    }
    if (s.compaction !== undefined) return; // the leader sends it again with its next heartbeat
    fx.push({ type: 'mark', name: 'raft.snapshot-installed' });
    if (s.log.termAt(snap.index) === snap.term && s.log.chainAt(snap.index) !== undefined)
      s.log.compactTo(snap.index);
    else {
      // Our log conflicts with the snapshot: only its committed prefix is known to match what
      // is on disk until the rewrite below lands.
      s.log.resetTo(snap.index, snap.term, snap.chain);
      s.durableIndex = Math.min(s.durableIndex, s.commitIndex);
    }
    s.sm = SessionKv.fromSnapshot(snap);
    s.snapshot = snap;
    s.commitIndex = s.lastApplied = snap.index;
    s.verifiedIndex = Math.max(snap.index, Math.min(s.verifiedIndex, s.log.lastIndex));
    startCompaction(s, snap, fx, { to: from, term: s.term });
  }

  // ------------------------------------------------------------------ votes

  function onPreVote(
    s: RaftState,
    from: NodeId,
    m: Extract<RaftMessage, { type: 'PreVote' }>,
    ctx: NodeContext,
    fx: Fx[],
  ): void {
    const granted =
      m.term > s.term && !heardFromLeader(s, ctx) && upToDate(s, m.lastLogIndex, m.lastLogTerm);
    send(s, from, { type: 'PreVoteReply', term: granted ? m.term : s.term, granted }, fx);
  }

  function onRequestVote(
    s: RaftState,
    from: NodeId,
    m: Extract<RaftMessage, { type: 'RequestVote' }>,
    ctx: NodeContext,
    fx: Fx[],
  ): void {
    if (m.term < s.term || (m.term > s.term && cfg.checkQuorum && heardFromLeader(s, ctx))) {
      send(s, from, { type: 'RequestVoteReply', term: s.term, granted: false }, fx);
      return;
    }
    // One meta write covers both the new term and the vote in it.
    const newTerm = m.term > s.term;
    if (newTerm) becomeFollower(s, m.term, null, ctx, fx, false);
    if (
      (s.votedFor === null || s.votedFor === from) &&
      upToDate(s, m.lastLogIndex, m.lastLogTerm)
    ) {
      const changed = s.votedFor !== from;
      s.votedFor = from;
      if (changed || newTerm) persistMeta(s, fx);
      fx.push(electionTimer(cfg, ctx));
      const reply: RaftMessage = { type: 'RequestVoteReply', term: s.term, granted: true };
      // The bug: the vote leaves before it is on disk; a crash now forgets it.
      if (cfg.bugs.voteBeforePersist) fx.push({ type: 'send', to: from, msg: reply });
      else send(s, from, reply, fx);
    } else {
      if (newTerm) persistMeta(s, fx);
      send(s, from, { type: 'RequestVoteReply', term: s.term, granted: false }, fx);
    }
  }

  // ------------------------------------------------------------------ disk

  // ------------------------------------------------------------------ the node contract

  return {
    name: 'raft',

    init(ctx) {
      const fx: Fx[] = [];
      return step(firstBoot(ctx, fx), fx);
    },

    onRecover(ctx) {
      const fx: Fx[] = [];
      const s = recover(cfg, ctx, fx);
      return s === undefined ? this.init(ctx) : step(s, fx);
    },

    onMessage(s, from, m, ctx) {
      const fx: Fx[] = [];
      if (!s.ready) return step(s, fx);
      // A newer term makes us a follower of it; PreVote carries a proposed term, not a real one,
      // and RequestVote's term is adopted only if the vote is not refused for stickiness.
      const adopts = m.type !== 'PreVote' && m.type !== 'RequestVote' && m.type !== 'PreVoteReply';
      if (adopts && m.term > s.term)
        becomeFollower(
          s,
          m.term,
          m.type === 'AppendEntries' || m.type === 'InstallSnapshot' ? from : null,
          ctx,
          fx,
        );
      switch (m.type) {
        case 'AppendEntries':
          if (m.term < s.term)
            send(
              s,
              from,
              {
                type: 'AppendEntriesReply',
                term: s.term,
                success: false,
                matchIndex: 0,
                conflictIndex: 0,
                probe: m.probe,
              },
              fx,
            );
          else onAppendEntries(s, from, m, ctx, fx);
          break;
        case 'InstallSnapshot':
          if (m.term < s.term)
            send(
              s,
              from,
              { type: 'InstallSnapshotReply', term: s.term, matchIndex: 0, probe: m.probe },
              fx,
            );
          else onInstallSnapshot(s, from, m, ctx, fx);
          break;
        case 'AppendEntriesReply':
        case 'InstallSnapshotReply': {
          if (m.term !== s.term || s.role.kind !== 'leader') break;
          const l = s.role;
          l.lastAckUs.set(from, ctx.now);
          if (m.probe > (l.probeAcked.get(from) ?? 0)) l.probeAcked.set(from, m.probe);
          if (m.type === 'AppendEntriesReply' && !m.success) {
            l.nextIndex.set(
              from,
              Math.max(
                (l.matchIndex.get(from) ?? 0) + 1,
                Math.min(m.conflictIndex, s.log.lastIndex + 1),
              ),
            );
            sendAppend(s, l, from, l.probe, fx);
            serveReads(s, l, fx);
            break;
          }
          if (m.matchIndex > (l.matchIndex.get(from) ?? 0)) l.matchIndex.set(from, m.matchIndex);
          if ((l.nextIndex.get(from) ?? 1) <= m.matchIndex) l.nextIndex.set(from, m.matchIndex + 1);
          advanceCommit(s, l, ctx, fx);
          if (s.role === l && (l.nextIndex.get(from) ?? 1) <= s.log.lastIndex)
            sendAppend(s, l, from, l.probe, fx);
          break;
        }
        case 'PreVote':
          onPreVote(s, from, m, ctx, fx);
          break;
        case 'PreVoteReply':
          if (!m.granted && m.term > s.term) becomeFollower(s, m.term, null, ctx, fx);
          else if (m.granted && s.role.kind === 'precandidate' && m.term === s.term + 1) {
            s.role.grants.add(from);
            if (s.role.grants.size >= cfg.quorum) startElection(s, ctx, fx);
          }
          break;
        case 'RequestVote':
          onRequestVote(s, from, m, ctx, fx);
          break;
        case 'RequestVoteReply':
          if (m.term > s.term) becomeFollower(s, m.term, null, ctx, fx);
          else if (m.granted && m.term === s.term && s.role.kind === 'candidate') {
            s.role.votes.add(from);
            if (s.role.votes.size >= cfg.quorum) becomeLeader(s, ctx, fx);
          }
          break;
      }
      return step(s, fx);
    },

    onTimer(s, timer, ctx) {
      const fx: Fx[] = [];
      if (!s.ready) return step(s, fx);
      if (timer === 'heartbeat' && s.role.kind === 'leader') {
        const l = s.role;
        if (checkQuorum(s, l, ctx, fx)) {
          l.probe++;
          broadcast(s, l, fx);
          fx.push({ type: 'setTimer', name: 'heartbeat', afterUs: cfg.heartbeatUs });
        }
      } else if (timer === 'heartbeat' && s.role.kind === 'candidate') {
        requestVotes(s, s.role, fx);
      } else if (timer === 'election' && s.role.kind !== 'leader') {
        startPreVote(s, ctx, fx);
      }
      return step(s, fx);
    },

    onRequest(s, req: ClientRequest<KvInput>, ctx) {
      const fx: Fx[] = [];
      if (s.role.kind !== 'leader' || !s.ready) {
        fx.push(
          redirect(req.id, 'not-leader', s.role.kind === 'follower' ? s.role.leader : undefined),
        );
        return step(s, fx);
      }
      const l = s.role;
      if (req.op.f === 'get') {
        if (cfg.bugs.staleRead) {
          // The bug: answer from local state, trusting that we are still leader.
          fx.push({
            type: 'reply',
            requestId: req.id,
            outcome: { type: 'ok', value: s.sm.get(req.op.key) },
          });
          return step(s, fx);
        }
        const read: PendingRead = { requestId: req.id, key: req.op.key, readIndex: -1, probe: 0 };
        l.reads.push(read);
        serveReads(s, l, fx);
        return step(s, fx);
      }
      const done = s.sm.answered(req.client, req.seq);
      if (done !== undefined) {
        fx.push({ type: 'reply', requestId: req.id, outcome: { type: 'ok', value: done.output } });
        return step(s, fx);
      }
      for (let i = s.lastApplied + 1; i <= s.log.lastIndex; i++) {
        const e = s.log.entry(i) as Entry;
        if (e.client === req.client && e.seq === req.seq) {
          // The same command is already in the log: wait for it instead of appending it twice.
          l.waiting.set(i, req.id);
          return step(s, fx);
        }
      }
      const index = appendAsLeader(
        s,
        l,
        { cmd: req.op, client: req.client, seq: req.seq },
        ctx,
        fx,
      );
      l.waiting.set(index, req.id);
      return step(s, fx);
    },

    onDiskDone(s, done: DiskCompletion, ctx) {
      const fx: Fx[] = [];
      if (done.tag === INIT_TAG && done.op === 'syncDir') {
        s.ready = true;
        fx.push(electionTimer(cfg, ctx));
        return step(s, fx);
      }
      if (done.tag === IGNORED_TAG || done.op === 'write') return step(s, fx);
      if (onMetaSynced(s, done, fx)) return step(s, fx);
      if (isCompactionDisk(s, done)) {
        if (onCompactionDisk(s, done, fx)) onRewriteDurable(s, ctx, fx);
      } else if (done.op === 'sync' && s.wal.owns(done.tag)) {
        const index = onWalSynced(s, done, fx);
        if (index >= 0) onDurable(s, index, ctx, fx);
      }
      return step(s, fx);
    },

    checkInvariants(s) {
      assert(
        s.lastApplied <= s.commitIndex,
        () => `${s.id}: lastApplied ${s.lastApplied} beyond commitIndex ${s.commitIndex}`,
      );
      assert(
        s.commitIndex <= s.log.lastIndex,
        () => `${s.id}: commitIndex ${s.commitIndex} beyond the log's end ${s.log.lastIndex}`,
      );
      assert(
        s.durableIndex <= s.log.lastIndex,
        () => `${s.id}: durableIndex ${s.durableIndex} beyond the log's end ${s.log.lastIndex}`,
      );
    },

    describeMessage: (m) => m.type,

    createObserver: () => createRaftObserver(),
  };
}
