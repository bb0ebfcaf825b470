/**
 * The acceptor's durable state on disk: the `wal` file of chained, checksummed records
 * (shared/record-log.ts) written through the shared WalWriter. A record holds one key's whole
 * register (promised, accepted, committed) or the end of a block of rounds the proposer reserved
 * (ballot.ts); the last record of a key wins on replay.
 *
 * A step changes registers in memory and queues its replies in `s.out`; `flushWal` writes what
 * changed at the step's end, in one write and one fsync, and the replies leave only when that
 * fsync completes (Paxos Made Simple §2.4: an acceptor remembers its promise and acceptance
 * "even if it fails and then restarts"; Paxos Made Live §5). A failed fsync rewinds to the last
 * durable record and writes every held register again, because the kernel dropped the dirty
 * pages (fsyncgate; Rebello et al., ATC'20).
 *
 * Torn tails: immune without the fence (WalWriter.resume) the other logs use: a record revived
 * behind a rewritten one is a register the acceptor lost before answering, and every reply it
 * sends since is preceded by a record written right there, which overwrites the old tail.
 *
 * Left out: compaction. The file only grows, up to `walBytesMax` (an option, 64 MiB by default;
 * a run is seconds long and writes far less): once it is that long the node writes nothing
 * more, so it answers no Prepare or Accept again and takes no new ballot, as a node whose disk
 * is full (`paxos.wal-full`); the others carry on without it while they are a majority.
 */
import type { NodeId } from '../../core/ids.js';
import type { DiskCompletion } from '../../core/protocol.js';
import { ROUNDS_RESERVED } from './ballot.js';
import type { PaxosEffect, PaxosMessage, Value } from './messages.js';
import type { PaxosConfig } from './paxos-config.js';
import { emptyHold, type PaxosState, type Register } from './paxos-state.js';

/**
 * A record, as a flat array (half the bytes of an object, and cheaper to encode): a register
 * `['r', key, promised, accepted ballot, accepted instance, accepted value, committed instance,
 * committed value]` (an accepted ballot of 0: nothing accepted), or a reservation `['b', round]`.
 */
export type WalRecord =
  | readonly ['r', string, number, number, number, Value, number, Value]
  | readonly ['b', number];

const registerRecord = (key: string, r: Register): WalRecord => {
  const a = r.accepted;
  const c = r.committed;
  return [
    'r',
    key,
    r.promised,
    a?.ballot ?? 0,
    a?.instance ?? 0,
    a?.value ?? null,
    c.instance,
    c.value,
  ];
};

/** A register as its record stored it. */
export function registerFrom(rec: Extract<WalRecord, readonly ['r', ...unknown[]]>): Register {
  const [, , promised, ab, ai, av, ci, cv] = rec;
  return {
    promised,
    accepted: ab === 0 ? null : { ballot: ab, instance: ai, value: av },
    committed: { instance: ci, value: cv },
  };
}

/** The tag of first boot's WAL creation and directory fsync (tags count up from 1). */
export const INIT_TAG = 0;

/** An acceptor's reply: it leaves once the key's register is durable (or at once, bugged). */
export function replyDurably(
  cfg: PaxosConfig,
  s: PaxosState,
  key: string,
  to: NodeId,
  msg: PaxosMessage,
  fx: PaxosEffect[],
): void {
  s.out.keys.add(key);
  if (cfg.bugs.replyBeforeDurable) fx.push({ type: 'send', to, msg });
  else s.out.sends.push({ to, msg });
}

/** Writes what this step changed in one write and one fsync; its replies wait for the fsync. */
export function flushWal(cfg: PaxosConfig, s: PaxosState, fx: PaxosEffect[]): void {
  const out = s.out;
  const newRound = s.round > s.roundWritten;
  if (out.keys.size === 0 && !newRound && out.prepares.length === 0) return;
  if (!s.ready) return;
  if (s.wal.bytes >= cfg.walBytesMax) {
    // The WAL is as long as it may grow: nothing held back can be made durable, so nothing goes.
    fx.push({ type: 'mark', name: 'paxos.wal-full' });
    s.out = emptyHold();
    return;
  }
  for (const key of s.lazy) out.keys.add(key);
  s.lazy.clear();
  const records: WalRecord[] = [];
  for (const key of out.keys) records.push(registerRecord(key, s.registers.get(key) as Register));
  if (newRound) {
    // Reserves a block of rounds, so most ballots need no fsync of their own.
    s.roundWritten = s.round + ROUNDS_RESERVED;
    records.push(['b', s.roundWritten]);
    out.round = s.roundWritten;
  } else if (out.prepares.length > 0) out.round = s.roundWritten;
  const tag = s.nextTag++;
  s.wal.write(records, tag, tag, fx);
  s.held.set(tag, out);
  s.out = emptyHold();
}

/**
 * A WAL fsync completed: returns what it held back once durable (the caller sends the replies
 * and starts the prepares), or undefined. A failure puts everything still held back into this
 * step's `out`, to be written again.
 */
export function onWalSynced(
  s: PaxosState,
  done: DiskCompletion,
  fx: PaxosEffect[],
): ReturnType<typeof emptyHold> | undefined {
  const r = s.wal.synced(done.tag, done.ok);
  const held = s.held.get(done.tag);
  s.held.delete(done.tag);
  if (r.kind === 'durable') {
    if (held !== undefined && held.round > s.roundDurable) s.roundDurable = held.round;
    return held;
  }
  if (r.kind === 'failed') {
    fx.push({ type: 'mark', name: 'paxos.fsync-failed' });
    s.wal.rewindToDurable();
    const all = held === undefined ? [...s.held.values()] : [held, ...s.held.values()];
    s.held.clear();
    for (const h of all) {
      for (const k of h.keys) s.out.keys.add(k);
      s.out.sends.push(...h.sends);
      s.out.prepares.push(...h.prepares);
    }
    s.roundWritten = s.roundDurable;
  }
  return undefined;
}
