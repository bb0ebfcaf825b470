/**
 * Starting a node: first boot on an empty disk, and recovery after a crash from the durable
 * image. First boot creates an empty `wal` and is ready once the directory fsync makes it exist.
 * Recovery replays the WAL's valid prefix (a snapshot resets the learner to it, the highest
 * promise and each slot's last acceptance win) and stops at the first record that is short or
 * fails its checksum: the torn tail of a write a crash interrupted
 * (`multi-paxos.torn-tail-truncated`), which the next write overwrites. A leftover `wal.next` is
 * a rewrite that never finished its rename: the old `wal` is the durable one, so it is deleted.
 *
 * The proposer's round resumes above the reservation on disk and every ballot its acceptor
 * promised or accepted (paxos/ballot.ts), so no ballot is used twice. With lease reads the
 * acceptor promises nobody for a lease's length after a restart: it may have granted a lease
 * it no longer remembers (Chubby's and Spanner's rule).
 *
 * Left out: read errors. An unreadable `wal` is taken for an empty one, which is safe only
 * because such errors are outside the fault model (Paxos Made Live §5: a replica that lost its
 * disk must rejoin as a non-voter).
 */
import type { NodeContext } from '../../core/protocol.js';
import { roundOf } from '../paxos/index.js';
import { decodeRecords } from '../shared/record-log.js';
import type { MultiPaxosEffect } from './messages.js';
import type { MultiPaxosConfig } from './multi-paxos-config.js';
import { freshState, type MultiPaxosState, type WalRecord } from './multi-paxos-state.js';
import { SessionKv } from './session-kv.js';
import { electionTimer } from './timers.js';
import { IGNORED_TAG, INIT_TAG } from './wal.js';

export function firstBoot(
  cfg: MultiPaxosConfig,
  ctx: NodeContext,
  fx: MultiPaxosEffect[],
): MultiPaxosState {
  const s = freshState(ctx.node, cfg.nodes.indexOf(ctx.node));
  fx.push({ type: 'diskWrite', file: 'wal', offset: 0, data: new Uint8Array(0), tag: INIT_TAG });
  fx.push({ type: 'diskSyncDir', tag: INIT_TAG });
  return s;
}

/** Rebuilds the node from its WAL; undefined when there is none (a crash during first boot). */
export function recover(
  cfg: MultiPaxosConfig,
  ctx: NodeContext,
  fx: MultiPaxosEffect[],
): MultiPaxosState | undefined {
  if (ctx.disk.size('wal') === undefined) return undefined;
  const s = freshState(ctx.node, cfg.nodes.indexOf(ctx.node));
  const read = ctx.disk.read('wal');
  const decoded = decodeRecords<WalRecord>(read.ok ? read.data : new Uint8Array(0));
  let round = 0;
  for (const r of decoded.records) {
    if (r[0] === 's') {
      s.snapshot = r[1];
      s.sm = SessionKv.fromSnapshot(r[1]);
      s.applied = r[1].index;
    } else if (r[0] === 'p') s.promised = Math.max(s.promised, r[1]);
    else if (r[0] === 'b') round = Math.max(round, r[1]);
    else if (r[1] > s.applied) {
      s.accepted.set(r[1], { ballot: r[2], command: r[3] });
      round = Math.max(round, roundOf(r[2]));
    }
  }
  s.wal.reset(decoded.validBytes, decoded.lastCrc);
  if (decoded.tornTail) fx.push({ type: 'mark', name: 'multi-paxos.torn-tail-truncated' });
  if (ctx.disk.size('wal.next') !== undefined)
    fx.push({ type: 'diskDelete', file: 'wal.next', tag: IGNORED_TAG });
  s.round = s.roundWritten = s.roundDurable = Math.max(round, roundOf(s.promised));
  s.ready = true;
  s.recovering = true;
  if (cfg.reads === 'lease') s.leaseUntilUs = ctx.now + cfg.leaseUs;
  fx.push(electionTimer(cfg, ctx));
  return s;
}
