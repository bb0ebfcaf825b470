/**
 * The protected store: the resource a lock guards (a file, a database row), one value per key,
 * written only by lock holders. With `fencing: true` it checks each write's fencing token
 * (Kleppmann 2016, "Making the lock safe with fencing"; Chubby's sequencers, which a server
 * checks against the lock's current sequence): a token below the highest it has taken for that
 * key comes from a lease that has since passed to someone else, and the write is rejected. An
 * equal token is the same lease writing again. Without fencing it takes every write, as a store
 * behind a plain Redis lock does.
 *
 * Every verdict, taken or rejected, is appended to the store's log and fsynced before the
 * holder hears it, so the highest token survives a restart and the final audit (the list of
 * verdicts, in the order they were made) matches what holders were told.
 */
import type { NodeId } from '../../core/ids.js';
import type { StoreEntry } from '../../core/lock-ops.js';
import type { LockConfig } from './lock-config.js';
import type { LockEffect, LockMessage } from './messages.js';
import type { PendingVerdict, StoreState } from './lock-state.js';

type WriteMessage = Extract<LockMessage, { type: 'Write' }>;
type VerdictRecord = readonly ['W', string, string, number, string, 0 | 1];

export function onStoreWrite(
  cfg: LockConfig,
  s: StoreState,
  from: NodeId,
  m: WriteMessage,
  fx: LockEffect[],
): void {
  if (!s.log.ready) return;
  const highest = s.highest.get(m.key) ?? 0;
  const checks = cfg.fencing && !cfg.bugs.noFencingCheck;
  const accepted = !checks || m.token >= highest;
  apply(s, { key: m.key, owner: m.owner, token: m.token, value: m.value, accepted });
  if (!accepted) fx.push({ type: 'mark', name: 'lock.stale-token-rejected' });
  else if (m.token < highest) fx.push({ type: 'mark', name: 'lock.stale-token-taken' });
  const record: VerdictRecord = ['W', m.key, m.owner, m.token, m.value, accepted ? 1 : 0];
  const verdict: PendingVerdict = { to: from, rid: m.rid, accepted, highest };
  s.log.write([record], [verdict], fx);
}

function apply(s: StoreState, e: StoreEntry): void {
  s.entries.push(e);
  if (!e.accepted) return;
  s.values.set(e.key, e.value);
  s.highest.set(e.key, Math.max(s.highest.get(e.key) ?? 0, e.token));
}

/** A verdict is durable: tell the holder. */
export function answerVerdict(v: PendingVerdict, fx: LockEffect[]): void {
  const msg: LockMessage = v.accepted
    ? { type: 'Accepted', rid: v.rid }
    : { type: 'Rejected', rid: v.rid, highest: v.highest };
  fx.push({ type: 'send', to: v.to, msg });
}

/** A restart: the verdicts logged, replayed in order. */
export function recoverStore(s: StoreState, records: readonly unknown[]): void {
  for (const r of records as readonly VerdictRecord[])
    if (r[0] === 'W')
      apply(s, { key: r[1], owner: r[2], token: r[3], value: r[4], accepted: r[5] === 1 });
}
