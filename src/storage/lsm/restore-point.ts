/**
 * Where a point-in-time restore stops, from what the backups on a target record: each backup
 * names the sequence number it holds and the virtual time it was taken (backup.ts).
 *
 * - `latest`: the latest backup's sequence number.
 * - `seq: N`: N itself; the WAL segments the backups saved carry the state past the last
 *   checkpoint to it (a restore fails when they do not reach it).
 * - `time: T`: the sequence number of the latest backup taken at or before T. WAL records carry
 *   no timestamp (adding one would change every engine's bytes), so a time resolves to a
 *   backup's moment, and the backup interval is the resolution of a restore by time.
 *
 * With the stop, `pointUs`: the time the restore vouches for. A write acknowledged durable at or
 * before the latest backup whose sequence number is at most the stop has a sequence number at
 * most the stop (a backup holds everything durable when it was taken), so it is in the restored
 * state; a write acknowledged later may not be. The durability checkers hold a restore to that.
 */
import type { RestorePoint } from '../../core/backup-tool.js';
import { formatDuration, type Micros } from '../../core/time.js';
import type { BackupMeta } from './backup.js';

export type ResolvedPoint =
  | { readonly upTo: number; readonly pointUs: Micros }
  | { readonly kind: 'error'; readonly reason: string };

export function resolvePoint(backups: readonly BackupMeta[], point: RestorePoint): ResolvedPoint {
  const first = backups[0];
  if (first === undefined) return { kind: 'error', reason: 'the target holds no backup' };
  if (point.kind === 'time') {
    const at = backups.filter((b) => (b.atUs ?? 0) <= point.atUs).at(-1);
    if (at === undefined) {
      const when = formatDuration(first.atUs ?? 0);
      return {
        kind: 'error',
        reason: `no backup at or before ${formatDuration(point.atUs)} (the first is at ${when})`,
      };
    }
    return { upTo: at.seq, pointUs: at.atUs ?? 0 };
  }
  const upTo = point.kind === 'seq' ? point.seq : (backups.at(-1) as BackupMeta).seq;
  return { upTo, pointUs: backups.filter((b) => b.seq <= upTo).at(-1)?.atUs ?? 0 };
}
