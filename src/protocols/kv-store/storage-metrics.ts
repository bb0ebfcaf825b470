/**
 * The kv-store's measures of a run, from its marks: how long a restarted node takes to serve
 * again (virtual time from the restart to its first reply: recovery's reads cost no virtual
 * time here, its directory and WAL fsyncs do), how many WAL records each recovery replayed, the
 * bytes written to disk against the bytes clients asked to store (write amplification: WAL,
 * tables and manifests over keys and values; an append stores only its own value), and the
 * bloom filter's false positives (a table read that found nothing). With backups in the scenario
 * (faults/backup.ts): the bytes each full and incremental backup copied, what a full backup would
 * have copied at each incremental one, and each restore's bytes and virtual time from the restore
 * to the node's first reply.
 */
import { BACKUP_MARKS } from '../../core/backup-tool.js';
import type { NodeId } from '../../core/ids.js';
import { type Metrics, type MetricsCollector, metric } from '../../core/metrics.js';
import type { Micros } from '../../core/time.js';
import { KV_MARKS } from './kv-store.js';

export class StorageMetrics implements MetricsCollector {
  private readonly restartedAt = new Map<NodeId, Micros>();
  private readonly recovery: number[] = [];
  private readonly replay: number[] = [];
  private userBytes = 0;
  private bytesWritten = 0;
  private falsePositives = 0;
  private readonly backupBytes = {
    full: [] as number[],
    incremental: [] as number[],
    /** At each incremental backup, what a full one would have copied. */
    checkpoint: [] as number[],
  };
  private readonly restoreBytes: number[] = [];
  /** Nodes being restored, since when: their first reply ends the restore. */
  private readonly restoringSince = new Map<NodeId, Micros>();
  private readonly restore: number[] = [];

  nodeFailed(): void {}

  nodeRestarted(node: NodeId, now: Micros): void {
    this.restartedAt.set(node, now);
  }

  mark(node: NodeId, name: string, value: number | undefined, now: Micros): void {
    const v = value ?? 0;
    switch (name) {
      case KV_MARKS.serving: {
        const t = this.restartedAt.get(node);
        if (t !== undefined) this.recovery.push(now - t);
        this.restartedAt.delete(node);
        const r = this.restoringSince.get(node);
        if (r !== undefined) this.restore.push(now - r);
        this.restoringSince.delete(node);
        return;
      }
      case BACKUP_MARKS.fullBytes:
        this.backupBytes.full.push(v);
        return;
      case BACKUP_MARKS.incrementalBytes:
        this.backupBytes.incremental.push(v);
        return;
      case BACKUP_MARKS.checkpointBytes:
        this.backupBytes.checkpoint.push(v);
        return;
      case BACKUP_MARKS.restoreBytes:
        this.restoreBytes.push(v);
        this.restoringSince.set(node, now);
        return;
      case KV_MARKS.recovered:
        this.replay.push(v);
        return;
      case KV_MARKS.userBytes:
        this.userBytes += v;
        return;
      case KV_MARKS.bytesWritten:
        this.bytesWritten += v;
        return;
      case KV_MARKS.bloomFalsePositives:
        this.falsePositives += v;
    }
  }

  /** Bytes each backup copied, full and incremental apart; each restore's bytes and time. */
  private backupMetrics() {
    const { full, incremental, checkpoint } = this.backupBytes;
    const some = (key: string, label: string, values: readonly number[], unit?: 'count') =>
      values.length === 0 ? {} : { [key]: metric(label, values, unit) };
    return {
      ...some('fullBackupBytes', 'full backup bytes', full, 'count'),
      ...some('incrementalBackupBytes', 'incremental backup bytes', incremental, 'count'),
      ...some('checkpointBytes', 'full backup bytes instead', checkpoint, 'count'),
      ...some('restoreBytes', 'restore bytes', this.restoreBytes, 'count'),
      ...some('restoreTime', 'restore to first reply', this.restore),
    };
  }

  result(): Metrics {
    const flushed = this.userBytes > 0;
    const all = {
      recovery: metric('restart to first reply', this.recovery),
      walReplay: metric('WAL records replayed per recovery', this.replay, 'count'),
      bytesWritten: flushed ? metric('bytes written', [this.bytesWritten], 'count') : undefined,
      userBytes: flushed ? metric('user bytes', [this.userBytes], 'count') : undefined,
      writeAmplification: flushed
        ? metric(
            'write amplification x100',
            [Math.round((100 * this.bytesWritten) / this.userBytes)],
            'count',
          )
        : undefined,
      bloomFalsePositives: flushed
        ? metric('bloom false positives', [this.falsePositives], 'count')
        : undefined,
      ...this.backupMetrics(),
    };
    return Object.fromEntries(Object.entries(all).filter(([, m]) => m !== undefined)) as Metrics;
  }
}
