/**
 * A Paxos node's state in the few values a person reads at a moment of a run (a report's time
 * travel): whether it is ready, its round counter (as used, and as durable), how many client
 * requests it is proposing for, and each key's register as `promised / accepted / committed`.
 */
import type { StateSummary } from '../../core/protocol.js';
import type { PaxosState } from './paxos-state.js';

export function describePaxosState(s: PaxosState): StateSummary {
  const out: Record<string, string | number | boolean | null> = {
    ready: s.ready,
    round: s.round,
    roundDurable: s.roundDurable,
    proposing: s.attempts.size,
  };
  for (const key of [...s.registers.keys()].sort()) {
    const r = s.registers.get(key);
    if (r === undefined) continue;
    const acc = r.accepted === null ? '-' : `${r.accepted.ballot}:${r.accepted.value}`;
    out[key] =
      `promised ${r.promised} accepted ${acc} committed #${r.committed.instance}=${r.committed.value}`;
  }
  return out;
}
