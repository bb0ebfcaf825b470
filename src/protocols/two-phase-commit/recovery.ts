/**
 * Starting a node: first boot creates an empty `wal` and is ready once the directory fsync makes
 * it exist; recovery replays the log's valid prefix (a torn tail, `twopc.torn-tail-truncated`, is
 * zeroed and fsynced before the node answers anyone: shared/durable-log.ts says why), as BHG §7.4's
 * recovery rules say:
 *
 * - coordinator: every COMMIT without an END is decided and not known to be acknowledged by
 *   all: it is kept and its decision sent again. Anything else it was doing is forgotten, hence
 *   aborted (presumed abort): it had not logged COMMIT, so no one was told commit.
 * - participant: COMMIT records apply their PREPARED writes, in log order (the order they were
 *   applied in); a PREPARED without an outcome is in doubt again: its locks are taken again, and
 *   it asks the coordinator at once (`twopc.in-doubt-recovered`).
 *
 * Left out: read errors. An unreadable `wal` is taken for an empty one, which is safe only
 * because such errors are outside the fault model.
 */
import type { NodeContext } from '../../core/protocol.js';
import { decodeRecords } from '../shared/record-log.js';
import { armResend } from './coordinator.js';
import type { TwoPcEffect } from './messages.js';
import { abortTxn, armAsk } from './participant.js';
import type { TwoPcConfig } from './twopc-config.js';
import {
  accountOf,
  type CoordinatorState,
  freshCoordinator,
  freshParticipant,
  type ParticipantState,
  type PTxn,
  type TwoPcState,
} from './twopc-state.js';
import type { CoordinatorRecord, ParticipantRecord } from './wal.js';

export function firstBoot(cfg: TwoPcConfig, ctx: NodeContext, fx: TwoPcEffect[]): TwoPcState {
  const s = ctx.node === cfg.coordinator ? freshCoordinator(ctx.node) : freshParticipant(ctx.node);
  announceRole(cfg, ctx, fx);
  s.log.create(fx);
  return s;
}

function announceRole(cfg: TwoPcConfig, ctx: NodeContext, fx: TwoPcEffect[]): void {
  const role = ctx.node === cfg.coordinator ? 'coordinator' : 'participant';
  fx.push({ type: 'mark', name: `twopc.${role}` });
}

/** Rebuilds the node from its log; undefined when there is none (a crash during first boot). */
export function recover(
  cfg: TwoPcConfig,
  ctx: NodeContext,
  fx: TwoPcEffect[],
): TwoPcState | undefined {
  if (ctx.disk.size('wal') === undefined) return undefined;
  const read = ctx.disk.read('wal');
  const decoded = decodeRecords<unknown>(read.ok ? read.data : new Uint8Array(0));
  announceRole(cfg, ctx, fx);
  if (decoded.tornTail) fx.push({ type: 'mark', name: 'twopc.torn-tail-truncated' });
  const s = ctx.node === cfg.coordinator ? freshCoordinator(ctx.node) : freshParticipant(ctx.node);
  // New records (an abort written below, say) go where the valid prefix ends, once the torn
  // tail is erased: until then the node answers no one (shared/durable-log.ts says why).
  s.log.wal.reset(decoded.validBytes, decoded.lastCrc);
  s.log.ready = true;
  const size = ctx.disk.size('wal') ?? 0;
  if (decoded.tornTail) s.log.eraseTail(decoded.validBytes, size - decoded.validBytes, fx);
  if (s.role === 'coordinator')
    replayCoordinator(cfg, s, decoded.records as CoordinatorRecord[], fx);
  else replayParticipant(cfg, s, decoded.records as ParticipantRecord[], ctx, fx);
  return s;
}

function replayCoordinator(
  cfg: TwoPcConfig,
  s: CoordinatorState,
  records: readonly CoordinatorRecord[],
  fx: TwoPcEffect[],
): void {
  for (const r of records) {
    if (r[0] === 'E') s.txns.delete(r[1]);
    else
      s.txns.set(r[1], {
        txn: r[1],
        requestId: undefined,
        participants: r[2],
        phase: 'committed',
        yes: new Set(r[2]),
        acks: new Set(),
        reads: new Map(),
        read: false,
      });
  }
  fx.push({ type: 'mark', name: 'twopc.coordinator-recovered' });
  for (const t of s.txns.values()) {
    for (const to of t.participants)
      fx.push({ type: 'send', to, msg: { type: 'Decision', txn: t.txn, commit: true } });
  }
  if (s.txns.size > 0) armResend(cfg, s, fx);
}

function replayParticipant(
  cfg: TwoPcConfig,
  s: ParticipantState,
  records: readonly ParticipantRecord[],
  ctx: NodeContext,
  fx: TwoPcEffect[],
): void {
  for (const r of records) {
    if (r[0] === 'P') s.txns.set(r[1], prepared(r));
    else {
      const t = s.txns.get(r[1]);
      if (t === undefined && r[0] === 'A') s.txns.set(r[1], refused(r[1]));
      if (t === undefined || t.phase !== 'prepared') continue;
      if (r[0] === 'A') t.phase = 'aborted';
      else {
        for (const [name, delta, id] of t.writes) {
          const a = accountOf(s, name);
          a.net += delta;
          a.applied.push(id);
        }
        t.phase = 'committed';
      }
    }
  }
  for (const t of s.txns.values()) {
    if (t.phase !== 'prepared') continue;
    if (cfg.bugs.participantForgetsPrepared) {
      // MariaDB before 10.5.2 (MDEV-35019): a prepared XA transaction rolled back on reconnect.
      abortTxn(s, t, ctx, fx);
      continue;
    }
    // Locks go only once an outcome is durable, so transactions in doubt never conflict (with
    // the early-read-lock-release bug they can: the mark shows it).
    if (
      !s.locks.acquire(
        t.txn,
        t.reads,
        t.writes.map((w) => w[0]),
      )
    )
      fx.push({ type: 'mark', name: 'twopc.recovered-lock-conflict' });
    t.asked = true;
    fx.push({ type: 'mark', name: 'twopc.in-doubt-recovered' });
    fx.push({ type: 'send', to: cfg.coordinator, msg: { type: 'DecisionRequest', txn: t.txn } });
  }
  armAsk(cfg, s, fx);
}

/** A transaction it refused ever to prepare (cooperative termination): aborted. */
function refused(txn: number): PTxn {
  const t = prepared(['P', txn, 0, [], [], []]);
  t.phase = 'aborted';
  return t;
}

function prepared(r: Extract<ParticipantRecord, readonly ['P', ...unknown[]]>): PTxn {
  return {
    txn: r[1],
    phase: 'prepared',
    reads: r[3],
    writes: r[4],
    participants: r[5],
    preparedAtUs: r[2],
    result: undefined,
    asked: false,
  };
}
