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
  Effect,
  NodeContext,
  Protocol,
  Step,
} from '../../core/protocol.js';
import { MARKS } from '../../core/marks.js';
import { redirect } from '../shared/redirect.js';
import {
  decodeMeta,
  decodeRecords,
  encodeMetaSlot,
  encodeRecords,
  META_SLOT_BYTES,
  preEncode,
  type PreEncoded,
} from '../shared/record-log.js';
import type { Entry, RaftCommand, RaftMessage, Snapshot } from './messages.js';
import { createRaftConfig, type RaftOptions } from './raft-config.js';
import { digestOf } from './raft-log.js';
import { freshState, type PendingRead, type RaftState } from './raft-state.js';
import { SessionKv } from './session-kv.js';
import { createRaftObserver } from './raft-observer.js';

export type { RaftOptions } from './raft-config.js';

type WalRecord =
  | { readonly t: 'e'; readonly e: Entry }
  | { readonly t: 'trunc'; readonly from: number }
  | { readonly t: 'snap'; readonly s: Snapshot };
interface Meta {
  readonly seq: number;
  readonly term: number;
  readonly votedFor: NodeId | null;
}

type Fx = Effect<RaftMessage, KvOutput>;

/**
 * An entry's WAL record body, encoded once and shared by every node that writes it: the
 * simulator hands the same entry object to all of them, and JSON encoding was the largest single
 * cost of a Raft step. The cache is keyed by object, so it cannot change what is written.
 */
const entryBodies = new WeakMap<Entry, PreEncoded>();
function entryRecord(e: Entry): PreEncoded {
  let b = entryBodies.get(e);
  if (b === undefined) {
    b = preEncode({ t: 'e', e });
    entryBodies.set(e, b);
  }
  return b;
}
type Leader = Extract<RaftState['role'], { kind: 'leader' }>;

const INIT_TAG = 0;
const IGNORED_TAG = -1;

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

  // ------------------------------------------------------------------ persistence

  function persistMeta(s: RaftState, fx: Fx[]): void {
    s.metaSeq++;
    const meta: Meta = { seq: s.metaSeq, term: s.term, votedFor: s.votedFor };
    const tag = s.nextTag++;
    fx.push({
      type: 'diskWrite',
      file: 'meta',
      offset: (s.metaSeq % 2) * META_SLOT_BYTES,
      data: encodeMetaSlot(meta),
      tag,
      quiet: true,
    });
    fx.push({ type: 'diskSync', file: 'meta', tag });
    s.metaSyncs.set(tag, s.metaSeq);
  }

  /** Sends now, or once term and vote are durable if they are not yet. */
  function send(s: RaftState, to: NodeId, msg: RaftMessage, fx: Fx[]): void {
    if (s.metaDurableSeq < s.metaSeq) s.outbox.push({ to, msg });
    else fx.push({ type: 'send', to, msg });
  }

  function appendEntry(s: RaftState, e: Entry): void {
    s.log.append(e);
    if (e.index < s.walDirtyFrom) s.walDirtyFrom = e.index;
  }

  function truncateLog(s: RaftState, from: number): void {
    s.log.truncateFrom(from);
    if (from <= s.writtenIndex) {
      s.walNeedsTrunc = true;
      s.writtenIndex = from - 1;
    }
    if (from < s.walDirtyFrom) s.walDirtyFrom = from;
    s.durableIndex = Math.min(s.durableIndex, from - 1);
    s.verifiedIndex = Math.min(s.verifiedIndex, from - 1);
    s.wal.voidPending();
    if (s.compaction !== undefined) s.compaction.truncMin = Math.min(s.compaction.truncMin, from);
  }

  /** Writes whatever the log gained or lost since the last write, in one write and one fsync. */
  function flushWal(s: RaftState, fx: Fx[]): void {
    if (s.compaction !== undefined || !s.ready) return;
    if (!s.walNeedsTrunc && s.walDirtyFrom > s.log.lastIndex) return;
    const from = Math.max(s.walDirtyFrom, s.log.snapshotIndex + 1);
    const records: (WalRecord | PreEncoded)[] = s.walNeedsTrunc ? [{ t: 'trunc', from }] : [];
    for (const e of s.log.slice(from, Number.POSITIVE_INFINITY)) records.push(entryRecord(e));
    s.wal.write(records, s.log.lastIndex, s.nextTag++, fx);
    s.writtenIndex = s.log.lastIndex;
    s.walDirtyFrom = Number.POSITIVE_INFINITY;
    s.walNeedsTrunc = false;
  }

  /**
   * Rewrites the WAL as `wal.next` = [snapshot, entries after it], fsyncs it, renames it over
   * `wal` and fsyncs the directory. Until then the old `wal` stays the durable image, so a crash
   * at any point recovers one or the other, whole.
   */
  function startCompaction(
    s: RaftState,
    snapshot: Snapshot,
    fx: Fx[],
    replyTo?: { to: NodeId; term: number },
  ): void {
    const records: (WalRecord | PreEncoded)[] = [{ t: 'snap', s: snapshot }];
    for (const e of s.log.slice(snapshot.index + 1, Number.POSITIVE_INFINITY))
      records.push(entryRecord(e));
    const { data, crc } = encodeRecords(records, 0);
    const syncTag = s.nextTag++;
    s.wal.voidPending();
    s.walDirtyFrom = Number.POSITIVE_INFINITY;
    s.walNeedsTrunc = false;
    s.compaction = {
      snapshot,
      covered: s.log.lastIndex,
      truncMin: Number.POSITIVE_INFINITY,
      endBytes: data.length,
      endCrc: crc,
      syncTag,
      dirTag: -1,
      ...(replyTo ? { replyTo } : {}),
    };
    fx.push({ type: 'diskDelete', file: 'wal.next', tag: IGNORED_TAG });
    fx.push({ type: 'diskWrite', file: 'wal.next', offset: 0, data, tag: syncTag, quiet: true });
    fx.push({ type: 'diskSync', file: 'wal.next', tag: syncTag });
  }

  function finishCompaction(s: RaftState, ctx: NodeContext, fx: Fx[]): void {
    const c = s.compaction as NonNullable<RaftState['compaction']>;
    s.compaction = undefined;
    s.wal.reset(c.endBytes, c.endCrc);
    const held = Math.min(c.covered, c.truncMin - 1);
    s.writtenIndex = held;
    if (c.truncMin <= c.covered) {
      s.walNeedsTrunc = true;
      s.walDirtyFrom = Math.min(s.walDirtyFrom, c.truncMin);
    }
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

  function maybeSnapshot(s: RaftState, fx: Fx[]): void {
    if (s.compaction !== undefined || s.lastApplied - s.log.snapshotIndex < cfg.snapshotEvery)
      return;
    const index = s.lastApplied;
    const snapshot = s.sm.toSnapshot(
      index,
      s.log.termAt(index) as number,
      s.log.chainAt(index) as number,
    );
    s.log.compactTo(index);
    s.snapshot = snapshot;
    startCompaction(s, snapshot, fx);
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

  function electionTimer(ctx: NodeContext): Fx {
    return {
      type: 'setTimer',
      name: 'election',
      afterUs: cfg.electionTimeoutUs + ctx.random.int(0, cfg.electionTimeoutUs),
    };
  }

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
    fx.push(electionTimer(ctx));
    s.role = { kind: 'follower', leader: null };
  }

  function startPreVote(s: RaftState, ctx: NodeContext, fx: Fx[]): void {
    fx.push({ type: 'mark', name: MARKS.suspect });
    fx.push(electionTimer(ctx));
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
    fx.push(electionTimer(ctx));
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
    maybeSnapshot(s, fx);
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
    fx.push(electionTimer(ctx));
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
    fx.push(electionTimer(ctx));
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
      fx.push(electionTimer(ctx));
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

  function onWalSynced(s: RaftState, done: DiskCompletion, ctx: NodeContext, fx: Fx[]): void {
    const r = s.wal.synced(done.tag, done.ok);
    if (r.kind === 'durable') return onDurable(s, r.mark, ctx, fx);
    if (r.kind === 'failed') {
      fx.push({ type: 'mark', name: 'raft.fsync-failed' });
      s.wal.rewindToDurable();
      s.walNeedsTrunc = true;
      s.walDirtyFrom = Math.min(s.walDirtyFrom, s.durableIndex + 1);
      s.writtenIndex = s.durableIndex;
    }
  }

  function onCompactionDisk(s: RaftState, done: DiskCompletion, ctx: NodeContext, fx: Fx[]): void {
    const c = s.compaction as NonNullable<RaftState['compaction']>;
    if (!done.ok) {
      // The rewrite's pages are gone; write the whole file again.
      fx.push({ type: 'mark', name: 'raft.fsync-failed' });
      // The new file holds the log as it is now, so truncations before this point are in it.
      s.compaction = undefined;
      startCompaction(s, c.snapshot, fx, c.replyTo);
      return;
    }
    if (done.tag === c.syncTag && done.op === 'sync') {
      c.dirTag = s.nextTag++;
      fx.push({ type: 'diskRename', from: 'wal.next', to: 'wal', tag: IGNORED_TAG });
      fx.push({ type: 'diskSyncDir', tag: c.dirTag });
    } else if (done.tag === c.dirTag && done.op === 'syncDir') {
      finishCompaction(s, ctx, fx);
    }
  }

  // ------------------------------------------------------------------ the node contract

  return {
    name: 'raft',

    init(ctx) {
      const s = freshState(ctx.node, ctx.peers, ctx.now);
      const fx: Fx[] = [];
      persistMeta(s, fx);
      fx.push({
        type: 'diskWrite',
        file: 'wal',
        offset: 0,
        data: new Uint8Array(0),
        tag: INIT_TAG,
      });
      fx.push({ type: 'diskSyncDir', tag: INIT_TAG });
      return step(s, fx);
    },

    onRecover(ctx) {
      if (ctx.disk.size('wal') === undefined || ctx.disk.size('meta') === undefined)
        return this.init(ctx);
      const s = freshState(ctx.node, ctx.peers, ctx.now);
      const fx: Fx[] = [];
      const metaRead = ctx.disk.read('meta');
      const meta = metaRead.ok ? decodeMeta<Meta>(metaRead.data) : undefined;
      if (meta !== undefined) {
        s.term = meta.term;
        s.votedFor = meta.votedFor;
        s.metaSeq = s.metaDurableSeq = meta.seq;
      }
      const walRead = ctx.disk.read('wal');
      if (walRead.ok) {
        const decoded = decodeRecords<WalRecord>(walRead.data);
        for (const r of decoded.records) {
          if (r.t === 'snap') {
            s.log.resetTo(r.s.index, r.s.term, r.s.chain);
            s.sm = SessionKv.fromSnapshot(r.s);
            s.snapshot = r.s;
            s.commitIndex = s.lastApplied = r.s.index;
          } else if (r.t === 'trunc') {
            if (r.from > s.log.snapshotIndex) s.log.truncateFrom(r.from);
          } else if (r.e.index === s.log.lastIndex + 1) {
            s.log.append(r.e);
          }
        }
        s.wal.reset(decoded.validBytes, decoded.lastCrc);
        if (decoded.tornTail) fx.push({ type: 'mark', name: 'raft.torn-tail-truncated' });
      }
      s.writtenIndex = s.durableIndex = s.log.lastIndex;
      if (ctx.disk.size('wal.next') !== undefined)
        fx.push({ type: 'diskDelete', file: 'wal.next', tag: IGNORED_TAG });
      s.ready = true;
      s.recovering = true;
      fx.push(electionTimer(ctx));
      return step(s, fx);
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
        fx.push(electionTimer(ctx));
        return step(s, fx);
      }
      if (done.tag === IGNORED_TAG) return step(s, fx);
      if (done.op === 'write') return step(s, fx); // writes are quiet; what counts is the fsync that follows
      const metaSeq = s.metaSyncs.get(done.tag);
      if (metaSeq !== undefined) {
        s.metaSyncs.delete(done.tag);
        if (!done.ok) {
          fx.push({ type: 'mark', name: 'raft.fsync-failed' });
          persistMeta(s, fx);
        } else if (metaSeq > s.metaDurableSeq) {
          s.metaDurableSeq = metaSeq;
          if (s.metaDurableSeq === s.metaSeq) {
            for (const o of s.outbox) fx.push({ type: 'send', to: o.to, msg: o.msg });
            s.outbox = [];
          }
        }
        return step(s, fx);
      }
      if (
        s.compaction !== undefined &&
        (done.tag === s.compaction.syncTag || done.tag === s.compaction.dirTag)
      )
        onCompactionDisk(s, done, ctx, fx);
      else if (done.op === 'sync' && s.wal.owns(done.tag)) onWalSynced(s, done, ctx, fx);
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
