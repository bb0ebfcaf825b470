/**
 * The kv-store's backup tool (core/backup-tool.ts): a backup is the engine's checkpoint (the
 * installed manifest, its tables and the WAL segments after it, at `durableSeq`) saved on the
 * target as the next backup, copying only the files the target does not already hold
 * (storage/lsm/backup.ts); a restore resolves its point against the backups' sequence numbers
 * and times (restore-point.ts) and builds that state on the node's blank disk.
 *
 * The named bug `kv-store.restore-skips-wal-replay` restores the base backup's tables and
 * claims the state reaches the point: writes made durable between that backup's last flush and
 * the point are missing, and the crash-consistency checker must say so.
 */
import type { BackupTool } from '../../core/backup-tool.js';
import { backup, listBackups, restore } from '../../storage/lsm/backup.js';
import { type LsmOptions, mutated } from '../../storage/lsm/lsm-options.js';
import { resolvePoint } from '../../storage/lsm/restore-point.js';
import type { KvStoreState } from './kv-store.js';

export function kvStoreBackups(options: LsmOptions): BackupTool<KvStoreState> {
  return {
    backup(s, disk, target, nowUs) {
      if (s.engine === undefined) return { kind: 'error', reason: 'its engine is not open' };
      const image = s.engine.checkpoint(disk);
      if ('kind' in image) return { kind: 'error', reason: `${image.file}: ${image.reason}` };
      const r = backup(target, image, '', nowUs);
      if ('kind' in r) return r;
      const { id, seq, full, filesCopied, bytesCopied, checkpointBytes } = r;
      return { kind: 'backup', id, seq, full, filesCopied, bytesCopied, checkpointBytes };
    },
    restore(target, dest, point) {
      const p = resolvePoint(listBackups(target), point);
      if ('kind' in p) return p;
      const r = restore(target, dest, {
        upTo: p.upTo,
        blockBytes: options.blockBytes,
        skipWalReplay: mutated(options, 'restore-skips-wal-replay'),
      });
      if (r.kind === 'error') return r;
      if (r.kind === 'corruption') return { kind: 'error', reason: `${r.file}: ${r.reason}` };
      const { seq, fromBackup, bytesCopied } = r;
      return { kind: 'restored', seq, fromBackup, pointUs: p.pointUs, bytesCopied };
    },
  };
}
