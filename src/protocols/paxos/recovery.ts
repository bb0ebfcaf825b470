/**
 * Starting a node: first boot on an empty disk, and recovery after a crash from the durable
 * image. First boot creates an empty `wal` and is ready once the directory fsync makes it exist.
 * Recovery replays the WAL's valid prefix, the last record of each key winning, and stops at the
 * first record that is short or fails its checksum: the torn tail of a write a crash interrupted
 * (`paxos.torn-tail-truncated`), which the next write overwrites.
 *
 * The proposer's round resumes above both the round counter on disk and every ballot its own
 * acceptor promised or accepted (ballot.ts), so no ballot is used twice (Tencent/phxpaxos#145).
 * With `paxos.ballot-reused-after-restart` the proposer's round is volatile: it starts again at
 * 0, and its first ballot after a restart is the one it used first in its previous life.
 *
 * Left out: read errors. An unreadable `wal` is taken for an empty one, which is safe only
 * because such errors are outside the fault model (Paxos Made Live §5: a replica that lost its
 * disk must rejoin as a non-voter).
 */
import type { NodeContext } from '../../core/protocol.js';
import { decodeRecords } from '../shared/record-log.js';
import { roundOf } from './ballot.js';
import type { PaxosEffect } from './messages.js';
import type { PaxosConfig } from './paxos-config.js';
import { freshState, type PaxosState } from './paxos-state.js';
import { INIT_TAG, registerFrom, type WalRecord } from './wal.js';

export function firstBoot(cfg: PaxosConfig, ctx: NodeContext, fx: PaxosEffect[]): PaxosState {
  const s = freshState(ctx.node, cfg.nodes.indexOf(ctx.node));
  fx.push({ type: 'diskWrite', file: 'wal', offset: 0, data: new Uint8Array(0), tag: INIT_TAG });
  fx.push({ type: 'diskSyncDir', tag: INIT_TAG });
  return s;
}

/** Rebuilds the node from its WAL; undefined when there is none (a crash during first boot). */
export function recover(
  cfg: PaxosConfig,
  ctx: NodeContext,
  fx: PaxosEffect[],
): PaxosState | undefined {
  if (ctx.disk.size('wal') === undefined) return undefined;
  const s = freshState(ctx.node, cfg.nodes.indexOf(ctx.node));
  const read = ctx.disk.read('wal');
  const decoded = decodeRecords<WalRecord>(read.ok ? read.data : new Uint8Array(0));
  let round = 0;
  for (const r of decoded.records) {
    if (r[0] === 'b') round = Math.max(round, r[1]);
    else {
      const reg = registerFrom(r);
      s.registers.set(r[1], reg);
      round = Math.max(round, roundOf(reg.promised), roundOf(reg.accepted?.ballot ?? 0));
    }
  }
  s.wal.reset(decoded.validBytes, decoded.lastCrc);
  if (decoded.tornTail) fx.push({ type: 'mark', name: 'paxos.torn-tail-truncated' });
  s.roundWritten = s.roundDurable = round;
  s.round = cfg.bugs.ballotReusedAfterRestart ? 0 : round;
  s.ready = true;
  return s;
}
