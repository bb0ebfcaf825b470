/**
 * Primary/backup replication of a key-value store, in two modes.
 *
 * - `sync`: the primary acknowledges a command only once it is durable on itself and on every
 *   backup. Reads go through the log too, so they are linearizable. A dead backup blocks writes
 *   until it returns: that is the price of synchronous replication, and the lesson it teaches.
 * - `async`: the primary acknowledges once the command is durable on its own disk and ships it
 *   to backups in the background; reads are served from the primary's memory. A primary crash or
 *   partition can lose acknowledged writes when a backup that never received them takes over.
 *
 * Failover: backups watch the primary's heartbeats (`Replicate`); one that hears nothing for a
 * randomized timeout suspects the primary and stands for a new epoch, and a majority elects the
 * most up-to-date candidate (last log epoch, then index), as in Viewstamped Replication's view
 * change and Raft. Votes are persisted before they are sent; entries are fsynced before they are
 * acknowledged; a new primary commits a no-op of its epoch before earlier entries count. Epochs
 * fence old primaries: a backup rejects `Replicate` from an older epoch.
 *
 * State is mutated in place and returned: the host owns it and drops it on a crash, so no one
 * else can observe the mutation. Storage: `wal` holds chained, checksummed records (entries and
 * truncation markers); `meta` holds the epoch and vote in two alternating slots.
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
import type { Micros } from '../../core/time.js';
import { MARKS } from '../../core/marks.js';
import { KvStore, type KvCommand } from '../shared/kv-store.js';
import { majority } from '../shared/quorum.js';
import { redirect } from '../shared/redirect.js';
import {
  decodeMeta,
  decodeRecords,
  encodeMetaSlot,
  META_SLOT_BYTES,
} from '../shared/record-log.js';
import { WalWriter } from '../shared/wal-writer.js';
import type { Entry, PbMessage } from './messages.js';

export interface PbOptions {
  readonly mode: 'sync' | 'async';
  readonly heartbeatMs: number;
  readonly electionTimeoutMs: number;
  readonly batchMax: number;
}

export type PbBug =
  | 'primary-backup.ack-before-fsync'
  | 'primary-backup.fail-when-deposed'
  | 'primary-backup.unfenced-epochs'
  | 'primary-backup.retry-fsync';

type Role =
  | { readonly kind: 'backup'; primary: NodeId | null }
  | { readonly kind: 'candidate'; readonly votes: Set<NodeId> }
  | {
      readonly kind: 'primary';
      readonly nextIndex: Map<NodeId, number>;
      readonly matchIndex: Map<NodeId, number>;
      /** Log index → client request waiting for it to commit. */
      readonly waiting: Map<number, number>;
      /** Log index → local time the primary appended it, for replication lag. */
      readonly appendedAt: Map<number, Micros>;
    };

type WalRecord =
  | { readonly t: 'e'; readonly e: Entry }
  | { readonly t: 'trunc'; readonly from: number };
interface Meta {
  readonly seq: number;
  readonly epoch: number;
  readonly votedFor: NodeId | null;
}

export interface PbState {
  readonly id: NodeId;
  readonly peers: readonly NodeId[];
  ready: boolean;
  epoch: number;
  votedFor: NodeId | null;
  role: Role;
  log: Entry[];
  commitIndex: number;
  applied: number;
  kv: KvStore;
  /** Highest index known durable on this node's disk. */
  durableIndex: number;
  /** Where WAL records go, which fsyncs are in flight, and where a failed fsync rewrites from. */
  wal: WalWriter;
  metaSeq: number;
  nextTag: number;
  /** Meta sync tag → vote reply to send once the vote is durable. */
  voteReplies: Map<number, { readonly to: NodeId; readonly epoch: number }>;
  /** Meta sync tag of a candidacy: RequestVote goes out once our own vote is durable. */
  candidacyTag: number;
  /** Highest index verified to match the current primary's log (backups). */
  verifiedIndex: number;
  lastHeardUs: Micros;
  /** Set after a restart until this node has caught up with a primary. */
  recovering: boolean;
}

const INIT_TAG = 0;
const NOOP: KvCommand = { f: 'noop' };

export function createPrimaryBackup(
  options: PbOptions,
  bugs: ReadonlySet<string>,
  nodes: readonly NodeId[],
): Protocol<PbState, PbMessage, KvInput, KvOutput> {
  const n = nodes.length;
  const heartbeatUs = options.heartbeatMs * 1000;
  const electionUs = options.electionTimeoutMs * 1000;
  const ackBeforeFsync = bugs.has('primary-backup.ack-before-fsync');
  const failWhenDeposed = bugs.has('primary-backup.fail-when-deposed');
  const unfenced = bugs.has('primary-backup.unfenced-epochs');
  const retryFsync = bugs.has('primary-backup.retry-fsync');

  type Fx = Effect<PbMessage, KvOutput>;
  const step = (s: PbState, fx: Fx[]): Step<PbState, PbMessage, KvOutput> => ({
    state: s,
    effects: fx,
  });
  const lastIndex = (s: PbState) => s.log.length;
  const lastEpoch = (s: PbState) => s.log[s.log.length - 1]?.epoch ?? 0;
  const epochAt = (s: PbState, i: number) => (i === 0 ? 0 : (s.log[i - 1]?.epoch ?? -1));

  function fresh(ctx: NodeContext): PbState {
    return {
      id: ctx.node,
      peers: ctx.peers,
      ready: false,
      epoch: 0,
      votedFor: null,
      role: { kind: 'backup', primary: null },
      log: [],
      commitIndex: 0,
      applied: 0,
      kv: new KvStore(),
      durableIndex: 0,
      wal: new WalWriter('wal', false),
      metaSeq: 0,
      nextTag: 1,
      voteReplies: new Map(),
      candidacyTag: -1,
      verifiedIndex: 0,
      lastHeardUs: ctx.now,
      recovering: false,
    };
  }

  function electionTimer(ctx: NodeContext): Fx {
    return {
      type: 'setTimer',
      name: 'election',
      afterUs: electionUs + ctx.random.int(0, electionUs),
    };
  }

  /** Writes epoch and vote to the next meta slot and syncs it; returns the sync's tag. */
  function persistMeta(s: PbState, fx: Fx[]): number {
    s.metaSeq++;
    const meta: Meta = { seq: s.metaSeq, epoch: s.epoch, votedFor: s.votedFor };
    const tag = s.nextTag++;
    fx.push({
      type: 'diskWrite',
      file: 'meta',
      offset: (s.metaSeq % 2) * META_SLOT_BYTES,
      data: encodeMetaSlot(meta),
      tag,
    });
    fx.push({ type: 'diskSync', file: 'meta', tag });
    return tag;
  }

  /** Appends WAL records and syncs them; the sync's completion makes `s.log.length` durable. */
  function persistLog(s: PbState, records: WalRecord[], fx: Fx[]): void {
    s.wal.write(records, s.log.length, s.nextTag++, fx);
  }

  /** Moves to a newer epoch as a backup; returns whether it did. Persists unless the caller will. */
  function adoptEpoch(
    s: PbState,
    epoch: number,
    ctx: NodeContext,
    fx: Fx[],
    persist = true,
  ): boolean {
    if (epoch <= s.epoch) return false;
    if (s.role.kind === 'primary') stepDown(s, ctx, fx);
    s.epoch = epoch;
    s.votedFor = null;
    s.role = { kind: 'backup', primary: null };
    if (persist) persistMeta(s, fx);
    return true;
  }

  /**
   * A deposed primary answers its waiting clients `info`: their commands may already be on a
   * backup and commit under the next primary. (The `fail-when-deposed` bug says `fail`, which
   * is a lie whenever that happens: Jepsen's Aerospike finding.)
   */
  function stepDown(s: PbState, ctx: NodeContext, fx: Fx[]): void {
    if (s.role.kind !== 'primary') return;
    for (const requestId of s.role.waiting.values()) {
      fx.push({
        type: 'reply',
        requestId,
        outcome: failWhenDeposed
          ? { type: 'fail', code: 'deposed' }
          : { type: 'info', code: 'deposed' },
      });
    }
    fx.push({ type: 'cancelTimer', name: 'heartbeat' });
    // A former primary watches for the next one like any backup, or no one might ever stand.
    fx.push(electionTimer(ctx));
  }

  function applyCommitted(s: PbState, fx: Fx[]): void {
    while (s.applied < s.commitIndex) {
      const e = s.log[s.applied] as Entry;
      s.applied++;
      const out = s.kv.apply(e.cmd);
      if (s.role.kind === 'primary') {
        const requestId = s.role.waiting.get(e.index);
        if (requestId !== undefined) {
          s.role.waiting.delete(e.index);
          fx.push({ type: 'reply', requestId, outcome: { type: 'ok', value: out } });
        }
      }
    }
  }

  /** Rebuilds the state machine from the log prefix that survives a truncation at `keep`. */
  function rollBack(s: PbState, keep: number): void {
    s.kv = new KvStore();
    s.applied = 0;
    s.commitIndex = Math.min(s.commitIndex, keep);
    for (let i = 0; i < s.commitIndex; i++) s.kv.apply((s.log[i] as Entry).cmd);
    s.applied = s.commitIndex;
  }

  function advanceCommit(s: PbState, fx: Fx[]): void {
    if (s.role.kind !== 'primary') return;
    let target = ackBeforeFsync ? s.log.length : s.durableIndex;
    if (options.mode === 'sync') {
      for (const p of s.peers) target = Math.min(target, s.role.matchIndex.get(p) ?? 0);
      // Only an entry of our own epoch is committed by counting replicas (Raft §5.4.2).
      while (target > s.commitIndex && epochAt(s, target) !== s.epoch) target--;
    }
    if (target > s.commitIndex) {
      s.commitIndex = target;
      applyCommitted(s, fx);
    }
  }

  function appendAsPrimary(
    s: PbState,
    cmd: KvCommand,
    requestId: number | undefined,
    ctx: NodeContext,
    fx: Fx[],
  ): void {
    assert(s.role.kind === 'primary', 'only a primary appends');
    const e: Entry = { epoch: s.epoch, index: s.log.length + 1, cmd };
    s.log.push(e);
    if (requestId !== undefined) s.role.waiting.set(e.index, requestId);
    s.role.appendedAt.set(e.index, ctx.now);
    persistLog(s, [{ t: 'e', e }], fx);
    for (const p of s.peers) sendReplicate(s, p, fx);
    if (ackBeforeFsync) advanceCommit(s, fx);
  }

  function sendReplicate(s: PbState, to: NodeId, fx: Fx[]): void {
    if (s.role.kind !== 'primary') return;
    const next = s.role.nextIndex.get(to) ?? s.log.length + 1;
    const prevIndex = next - 1;
    const entries = s.log.slice(prevIndex, prevIndex + options.batchMax);
    fx.push({
      type: 'send',
      to,
      msg: {
        type: 'Replicate',
        epoch: s.epoch,
        prevIndex,
        prevEpoch: epochAt(s, prevIndex),
        entries,
        commitIndex: s.commitIndex,
      },
    });
  }

  function becomePrimary(s: PbState, ctx: NodeContext, fx: Fx[]): void {
    const nextIndex = new Map<NodeId, number>();
    const matchIndex = new Map<NodeId, number>();
    for (const p of s.peers) {
      nextIndex.set(p, s.log.length + 1);
      matchIndex.set(p, 0);
    }
    s.role = { kind: 'primary', nextIndex, matchIndex, waiting: new Map(), appendedAt: new Map() };
    fx.push({ type: 'mark', name: MARKS.promoted });
    fx.push({ type: 'cancelTimer', name: 'election' });
    fx.push({ type: 'setTimer', name: 'heartbeat', afterUs: heartbeatUs });
    appendAsPrimary(s, NOOP, undefined, ctx, fx);
  }

  function startCandidacy(s: PbState, ctx: NodeContext, fx: Fx[]): void {
    fx.push({ type: 'mark', name: MARKS.suspect });
    s.epoch++;
    s.votedFor = s.id;
    s.role = { kind: 'candidate', votes: new Set([s.id]) };
    s.candidacyTag = persistMeta(s, fx);
    fx.push(electionTimer(ctx));
  }

  function logIsUpToDate(s: PbState, candLastEpoch: number, candLastIndex: number): boolean {
    const myEpoch = lastEpoch(s);
    return candLastEpoch > myEpoch || (candLastEpoch === myEpoch && candLastIndex >= lastIndex(s));
  }

  function onReplicate(
    s: PbState,
    from: NodeId,
    m: Extract<PbMessage, { type: 'Replicate' }>,
    ctx: NodeContext,
    fx: Fx[],
  ): void {
    if (m.epoch < s.epoch && !unfenced) {
      fx.push({
        type: 'send',
        to: from,
        msg: { type: 'ReplicateNack', epoch: s.epoch, hintIndex: 0 },
      });
      return;
    }
    adoptEpoch(s, m.epoch, ctx, fx);
    if (s.role.kind !== 'backup') s.role = { kind: 'backup', primary: from };
    if (s.role.kind === 'backup') s.role.primary = from;
    s.lastHeardUs = ctx.now;
    fx.push(electionTimer(ctx));
    if (m.prevIndex > s.log.length || epochAt(s, m.prevIndex) !== m.prevEpoch) {
      // Back up past the whole conflicting epoch in one step rather than one entry per round trip.
      let hint = Math.min(s.log.length, m.prevIndex - 1);
      const conflictEpoch = epochAt(s, hint);
      while (hint > 0 && epochAt(s, hint) === conflictEpoch && hint > s.commitIndex) hint--;
      fx.push({
        type: 'send',
        to: from,
        msg: { type: 'ReplicateNack', epoch: s.epoch, hintIndex: hint },
      });
      return;
    }
    const records: WalRecord[] = [];
    for (const e of m.entries) {
      const existing = s.log[e.index - 1];
      if (existing !== undefined && existing.epoch === e.epoch) continue;
      if (existing !== undefined) {
        if (e.index <= s.commitIndex) {
          // Only async replication can get here: the old primary committed on its own disk
          // alone, and the new primary never had the entry. The write is lost; roll back.
          assert(
            options.mode === 'async',
            () => `${s.id} asked to overwrite committed index ${e.index}`,
          );
          rollBack(s, e.index - 1);
          fx.push({ type: 'mark', name: 'pb.committed-entries-rolled-back' });
        }
        s.log.length = e.index - 1;
        s.wal.voidPending();
        s.durableIndex = Math.min(s.durableIndex, e.index - 1);
        records.push({ t: 'trunc', from: e.index });
      }
      s.log.push(e);
      records.push({ t: 'e', e });
    }
    const verified = m.prevIndex + m.entries.length;
    s.verifiedIndex = verified;
    if (records.length > 0) persistLog(s, records, fx);
    const commit = Math.min(m.commitIndex, verified);
    if (commit > s.commitIndex) {
      s.commitIndex = commit;
      applyCommitted(s, fx);
    }
    if (s.recovering && s.commitIndex >= m.commitIndex) {
      s.recovering = false;
      fx.push({ type: 'mark', name: MARKS.caughtUp });
    }
    if (records.length === 0 || ackBeforeFsync)
      fx.push({
        type: 'send',
        to: from,
        msg: {
          type: 'ReplicateOk',
          epoch: s.epoch,
          matchIndex: ackBeforeFsync ? verified : Math.min(verified, s.durableIndex),
        },
      });
  }

  /**
   * An fsync failed. After a failed fsync the kernel has dropped the dirty pages it covered and a
   * second fsync would succeed without writing them (fsyncgate, Rebello et al. ATC'20), so the
   * only safe move is to write the data again from memory: everything after the last durable
   * record, behind a truncation marker, then fsync again. Syncs still in flight are void too:
   * the pages they would have covered are gone. A failed meta fsync rewrites the meta record.
   */
  function onFsyncFailed(s: PbState, done: DiskCompletion, fx: Fx[]): void {
    fx.push({ type: 'mark', name: 'pb.fsync-failed' });
    if (done.file === 'wal') {
      if (retryFsync) {
        // The bug: retry the fsync and trust its success.
        if (s.wal.owns(done.tag)) s.wal.trustRetry(done.tag, s.nextTag++, fx);
        return;
      }
      s.wal.synced(done.tag, false);
      s.wal.rewindToDurable();
      const records: WalRecord[] = [{ t: 'trunc', from: s.durableIndex + 1 }];
      for (const e of s.log.slice(s.durableIndex)) records.push({ t: 'e', e });
      persistLog(s, records, fx);
      return;
    }
    const tag = persistMeta(s, fx);
    const vote = s.voteReplies.get(done.tag);
    if (vote !== undefined) {
      s.voteReplies.delete(done.tag);
      s.voteReplies.set(tag, vote);
    }
    if (s.candidacyTag === done.tag) s.candidacyTag = tag;
  }

  function onDurable(s: PbState, index: number, ctx: NodeContext, fx: Fx[]): void {
    if (index <= s.durableIndex) return;
    s.durableIndex = index;
    if (s.role.kind === 'primary') advanceCommit(s, fx);
    else if (s.role.kind === 'backup' && s.role.primary !== null && !ackBeforeFsync) {
      fx.push({
        type: 'send',
        to: s.role.primary,
        msg: {
          type: 'ReplicateOk',
          epoch: s.epoch,
          matchIndex: Math.min(s.verifiedIndex, s.durableIndex),
        },
      });
    }
    void ctx;
  }

  return {
    name: 'primary-backup',

    init(ctx) {
      const s = fresh(ctx);
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
      const s = fresh(ctx);
      const metaRead = ctx.disk.read('meta');
      const meta = metaRead.ok ? decodeMeta<Meta>(metaRead.data) : undefined;
      if (meta !== undefined) {
        s.epoch = meta.epoch;
        s.votedFor = meta.votedFor;
        s.metaSeq = meta.seq;
      }
      const walRead = ctx.disk.read('wal');
      const fx: Fx[] = [];
      if (walRead.ok) {
        const decoded = decodeRecords<WalRecord>(walRead.data);
        for (const r of decoded.records) {
          if (r.t === 'trunc') s.log.length = Math.min(s.log.length, r.from - 1);
          else if (r.e.index === s.log.length + 1) s.log.push(r.e);
        }
        s.wal.reset(decoded.validBytes, decoded.lastCrc);
        if (decoded.tornTail) fx.push({ type: 'mark', name: 'pb.torn-tail-truncated' });
      }
      s.durableIndex = s.log.length;
      s.ready = true;
      s.recovering = true;
      fx.push(electionTimer(ctx));
      return step(s, fx);
    },

    onMessage(s, from, m, ctx) {
      const fx: Fx[] = [];
      if (!s.ready) return step(s, fx);
      switch (m.type) {
        case 'Replicate':
          onReplicate(s, from, m, ctx, fx);
          break;
        case 'ReplicateOk':
          if (m.epoch > s.epoch) adoptEpoch(s, m.epoch, ctx, fx);
          else if (m.epoch === s.epoch && s.role.kind === 'primary') {
            const before = s.role.matchIndex.get(from) ?? 0;
            if (m.matchIndex > before) {
              s.role.matchIndex.set(from, m.matchIndex);
              const t = s.role.appendedAt.get(m.matchIndex);
              if (t !== undefined)
                fx.push({ type: 'mark', name: MARKS.replicationLagUs, value: ctx.now - t });
            }
            s.role.nextIndex.set(from, Math.max(s.role.nextIndex.get(from) ?? 1, m.matchIndex + 1));
            advanceCommit(s, fx);
            if ((s.role.nextIndex.get(from) ?? 1) <= s.log.length) sendReplicate(s, from, fx);
          }
          break;
        case 'ReplicateNack':
          if (m.epoch > s.epoch) adoptEpoch(s, m.epoch, ctx, fx);
          else if (m.epoch === s.epoch && s.role.kind === 'primary') {
            s.role.nextIndex.set(from, Math.max(1, Math.min(m.hintIndex + 1, s.log.length + 1)));
            sendReplicate(s, from, fx);
          }
          break;
        case 'RequestVote': {
          // Stickiness: while we hear from a live primary, a candidate cannot disrupt it.
          const heardRecently =
            s.role.kind === 'backup' &&
            s.role.primary !== null &&
            ctx.now - s.lastHeardUs < electionUs;
          if (m.epoch < s.epoch || (m.epoch > s.epoch && heardRecently)) {
            fx.push({
              type: 'send',
              to: from,
              msg: { type: 'Vote', epoch: s.epoch, granted: false },
            });
            break;
          }
          // One meta write covers both the new epoch and the vote in it.
          const moved = adoptEpoch(s, m.epoch, ctx, fx, false);
          if (
            (s.votedFor === null || s.votedFor === from) &&
            logIsUpToDate(s, m.lastEpoch, m.lastIndex)
          ) {
            s.votedFor = from;
            const tag = persistMeta(s, fx);
            s.voteReplies.set(tag, { to: from, epoch: s.epoch });
            fx.push(electionTimer(ctx));
          } else {
            if (moved) persistMeta(s, fx);
            fx.push({
              type: 'send',
              to: from,
              msg: { type: 'Vote', epoch: s.epoch, granted: false },
            });
          }
          break;
        }
        case 'Vote':
          if (m.epoch > s.epoch) adoptEpoch(s, m.epoch, ctx, fx);
          else if (m.granted && m.epoch === s.epoch && s.role.kind === 'candidate') {
            s.role.votes.add(from);
            if (s.role.votes.size >= majority(n)) becomePrimary(s, ctx, fx);
          }
          break;
      }
      return step(s, fx);
    },

    onTimer(s, timer, ctx) {
      const fx: Fx[] = [];
      if (!s.ready) return step(s, fx);
      if (timer === 'heartbeat' && s.role.kind === 'primary') {
        for (const p of s.peers) sendReplicate(s, p, fx);
        fx.push({ type: 'setTimer', name: 'heartbeat', afterUs: heartbeatUs });
      } else if (timer === 'election' && s.role.kind !== 'primary') {
        startCandidacy(s, ctx, fx);
      }
      return step(s, fx);
    },

    onRequest(s, req: ClientRequest<KvInput>, ctx) {
      const fx: Fx[] = [];
      if (s.role.kind !== 'primary' || !s.ready) {
        fx.push(
          redirect(req.id, 'not-primary', s.role.kind === 'backup' ? s.role.primary : undefined),
        );
        return step(s, fx);
      }
      if (req.op.f === 'get' && options.mode === 'async') {
        fx.push({
          type: 'reply',
          requestId: req.id,
          outcome: { type: 'ok', value: s.kv.get(req.op.key) },
        });
        return step(s, fx);
      }
      appendAsPrimary(s, req.op, req.id, ctx, fx);
      return step(s, fx);
    },

    onDiskDone(s, done: DiskCompletion, ctx) {
      const fx: Fx[] = [];
      if (done.tag === INIT_TAG && done.op === 'syncDir') {
        s.ready = true;
        fx.push(electionTimer(ctx));
        return step(s, fx);
      }
      if (done.op !== 'sync') return step(s, fx);
      if (!done.ok) {
        onFsyncFailed(s, done, fx);
        return step(s, fx);
      }
      if (s.wal.owns(done.tag)) {
        const r = s.wal.synced(done.tag, true);
        if (r.kind === 'durable') onDurable(s, Math.min(r.mark, s.log.length), ctx, fx);
        return step(s, fx);
      }
      const vote = s.voteReplies.get(done.tag);
      if (vote !== undefined) {
        s.voteReplies.delete(done.tag);
        if (vote.epoch === s.epoch)
          fx.push({
            type: 'send',
            to: vote.to,
            msg: { type: 'Vote', epoch: vote.epoch, granted: true },
          });
        return step(s, fx);
      }
      if (done.tag === s.candidacyTag && s.role.kind === 'candidate') {
        for (const p of s.peers)
          fx.push({
            type: 'send',
            to: p,
            msg: {
              type: 'RequestVote',
              epoch: s.epoch,
              lastEpoch: lastEpoch(s),
              lastIndex: lastIndex(s),
            },
          });
        if (s.role.votes.size >= majority(n)) becomePrimary(s, ctx, fx);
      }
      return step(s, fx);
    },

    checkInvariants(s) {
      assert(
        s.commitIndex <= s.log.length,
        () => `${s.id}: commitIndex ${s.commitIndex} beyond log ${s.log.length}`,
      );
      assert(s.applied <= s.commitIndex, () => `${s.id}: applied beyond commitIndex`);
    },

    describeMessage: (m) => m.type,
  };
}
