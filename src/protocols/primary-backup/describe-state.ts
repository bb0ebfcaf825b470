/**
 * A primary/backup node's state in the few values a person reads at a moment of a run (a
 * report's time travel): role and epoch, the primary a backup follows, the log's last index, how
 * much of it is durable (the rest is volatile, lost by a crash), and the commit and applied
 * indexes.
 */
import type { StateSummary } from '../../core/protocol.js';
import type { PbState } from './pb-state.js';

export function describePbState(s: PbState): StateSummary {
  return {
    role: s.role.kind,
    epoch: s.epoch,
    primary: s.role.kind === 'backup' ? s.role.primary : s.role.kind === 'primary' ? s.id : null,
    lastIndex: s.log.length,
    durableIndex: s.durableIndex,
    commitIndex: s.commitIndex,
    applied: s.applied,
    recovering: s.recovering,
  };
}
