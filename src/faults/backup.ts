/**
 * Backups, disk loss and restore as scenario events, for a protocol with a storage engine
 * (`backups: true` in its definition; the scenario layer checks that and the order of the
 * entries before a run, scenario/resolve-backups.ts):
 *
 * - `{ at: 1s, backup: n1, target: vault, every: 500ms }` backs the node up onto the backup
 *   target `vault`, a disk of its own outside the cluster that no disk fault touches, and again
 *   every 500ms until the run ends. The first backup on a target copies everything (full), later
 *   ones what changed since (incremental); the protocol's tool says what a backup holds.
 * - `{ at: 5s, disaster: n1 }` loses the node's disk: the node goes down (a power loss) and a
 *   blank disk takes the old one's place. It stays down until a restore (or a restart, which
 *   boots it empty).
 * - `{ at: 6s, restore: n1, target: vault }` (to the latest backup), or with `seq: 120`, or with
 *   `time: 4s`, builds that state on the node's blank disk from the target's backups and
 *   restarts the node on it (a node still up is taken down and its disk replaced first, as an
 *   operator restoring in place does). Its record carries the restore point (`pointUs`: every
 *   write acknowledged by then is in the restored state), which the crash-consistency checker
 *   holds the run to.
 *
 * The protocol's tool runs beside the node at the event's instant (as RocksDB's BackupEngine
 * runs beside the database), not as disk effects in simulated time: a crash cannot strike in
 * the middle of a backup. Each backup and restore leaves a mark with the bytes it copied (the
 * run's metrics). They draw nothing from the fault stream.
 */
import { z } from 'zod';
import { BACKUP_MARKS, type RestorePoint } from '../core/backup-tool.js';
import { durationText, formatDuration, type Micros } from '../core/time.js';
import { resolveNodeName } from '../options/node-names.js';
import { durationSchema, intSchema } from '../options/units.js';
import type { FaultAction, FaultHost, FaultStrike } from '../sim/faults.js';
import type { NodeHost } from '../sim/node-host.js';
import { targetDisk } from './backup-targets.js';
import type { EntryDocument, FaultKind, ResolveContext } from './fault-kind.js';

/** The backup target an entry names when it gives no `target`. */
export const TARGET_DEFAULT = 'vault';

interface BackupAction extends FaultAction {
  readonly kind: 'backup';
  readonly node: number;
  readonly target: string;
  readonly everyUs?: Micros;
  /** A repeat of a periodic backup (not an entry of its own when shrinking). */
  readonly repeat?: boolean;
}

interface DisasterAction extends FaultAction {
  readonly kind: 'disaster';
  readonly node: number;
}

interface RestoreAction extends FaultAction {
  readonly kind: 'restore';
  readonly node: number;
  readonly target: string;
  readonly point: RestorePoint;
}

function applyBackup(a: BackupAction, strike: FaultStrike, host: FaultHost): void {
  if (a.everyUs !== undefined) strike.after({ ...a, repeat: true }, a.everyUs);
  const node = host.nodes[a.node] as NodeHost;
  const what = `backup of ${node.id} to ${a.target}`;
  const data = { node: node.id, target: a.target, ...everyField(a) };
  if (node.status !== 'up' || host.backups === undefined) {
    strike.log(`${what} skipped: ${node.id} is ${node.status}`, { ...data, skipped: true });
    return;
  }
  const target = targetDisk(host, a.target, node.disk.config);
  const r = host.backups.backup(node.state, node.disk, target, strike.now);
  if (r.kind === 'error') {
    strike.log(`${what} failed: ${r.reason}`, { ...data, failed: true });
    return;
  }
  const how = r.full ? 'full' : 'incremental';
  strike.log(
    `${what}: backup ${r.id}, ${how}, ${r.filesCopied} files, ${r.bytesCopied} of ` +
      `${r.checkpointBytes} bytes, seq ${r.seq}`,
    { ...data, id: r.id, seq: r.seq, bytes: r.bytesCopied, full: r.full },
  );
  host.mark(node, r.full ? BACKUP_MARKS.fullBytes : BACKUP_MARKS.incrementalBytes, r.bytesCopied);
  if (!r.full) host.mark(node, BACKUP_MARKS.checkpointBytes, r.checkpointBytes);
}

const everyField = (a: BackupAction) =>
  a.repeat === true ? { repeat: true } : a.everyUs === undefined ? {} : { every: a.everyUs };

/** Takes the node down if it is running, and replaces its disk with a blank one. */
function loseDisk(node: NodeHost, host: FaultHost): void {
  if (node.status === 'up' || node.status === 'paused') {
    host.crash(node);
    host.nodeFailed(node.index);
  }
  node.disk.lose();
}

function applyDisaster(a: DisasterAction, strike: FaultStrike, host: FaultHost): void {
  const node = host.nodes[a.node] as NodeHost;
  if (node.status === 'spare' || node.status === 'left') return;
  loseDisk(node, host);
  strike.log(`${node.id} loses its disk`, { node: node.id });
}

function applyRestore(a: RestoreAction, strike: FaultStrike, host: FaultHost): void {
  const node = host.nodes[a.node] as NodeHost;
  if (node.status === 'spare' || node.status === 'left' || host.backups === undefined) return;
  loseDisk(node, host);
  const data = { node: node.id, target: a.target, ...pointFields(a.point) };
  const target = targetDisk(host, a.target, node.disk.config);
  const r = host.backups.restore(target, node.disk, a.point);
  if (r.kind === 'error') {
    strike.log(`restore of ${node.id} from ${a.target} failed: ${r.reason}`, {
      ...data,
      failed: true,
    });
  } else {
    strike.log(
      `${node.id} restored from ${a.target} backup ${r.fromBackup} to seq ${r.seq}: every ` +
        `write acknowledged by ${formatDuration(r.pointUs)} is in it, ${r.bytesCopied} bytes`,
      { ...data, seq: r.seq, pointUs: r.pointUs, bytes: r.bytesCopied },
    );
    host.mark(node, BACKUP_MARKS.restoreBytes, r.bytesCopied);
  }
  host.restart(node);
}

function pointFields(p: RestorePoint): Record<string, unknown> {
  if (p.kind === 'seq') return { to: { seq: p.seq } };
  if (p.kind === 'time') return { to: { time: p.atUs } };
  return {};
}

const nodeSchema = (doc: string) =>
  z.string({ error: 'expected a node name like n1' }).describe(doc);

function resolveEntry(e: EntryDocument, action: string, ctx: ResolveContext) {
  const node = resolveNodeName(e[action] as string, ctx.nodes);
  if (!node.ok) {
    ctx.problems.push({ path: [...ctx.path, action], message: node.message });
    return undefined;
  }
  const target = (e.target as string | undefined) ?? TARGET_DEFAULT;
  const i = node.value;
  if (action === 'disaster') return { atUs: e.at, action: { kind: action, node: i } };
  if (action === 'backup') {
    const every = e.every as Micros | undefined;
    const a = { kind: action, node: i, target, ...(every === undefined ? {} : { everyUs: every }) };
    return { atUs: e.at, action: a };
  }
  return { atUs: e.at, action: { kind: action, node: i, target, point: restorePoint(e) } };
}

function restorePoint(e: Readonly<Record<string, unknown>>): RestorePoint {
  if (typeof e.seq === 'number') return { kind: 'seq', seq: e.seq };
  if (typeof e.time === 'number') return { kind: 'time', atUs: e.time };
  return { kind: 'latest' };
}

/** Modifiers that go with one action only. */
const ONLY: Readonly<Record<string, string>> = {
  every: 'backup',
  to: 'restore',
  seq: 'restore',
  time: 'restore',
};

function refine(e: Readonly<Record<string, unknown>>, action: string) {
  const issues: { field?: string; message: string }[] = [];
  for (const [field, owner] of Object.entries(ONLY)) {
    if (e[field] !== undefined && owner !== action)
      issues.push({ field, message: `${field} only goes with ${owner}, not ${action}` });
  }
  if (action === 'disaster' && e.target !== undefined)
    issues.push({ field: 'target', message: 'disaster has no target: it loses the node’s disk' });
  const points = ['to', 'seq', 'time'].filter((f) => e[f] !== undefined);
  if (points.length > 1)
    issues.push({
      field: points[1] as string,
      message: `a restore stops at one point: latest, seq or time, not ${points.join(' and ')}`,
    });
  return issues;
}

export const backupFault: FaultKind = {
  name: 'backup',
  summary:
    'backups of a node to a backup target, the loss of its disk, and a point-in-time restore from the backups; for protocols with backups: true',
  actions: ['backup', 'disaster', 'restore'],
  apply: (action, strike, host) => {
    if (action.kind === 'backup') applyBackup(action as BackupAction, strike, host);
    else if (action.kind === 'disaster') applyDisaster(action as DisasterAction, strike, host);
    else applyRestore(action as RestoreAction, strike, host);
  },
  entry: {
    actions: {
      backup: {
        schema: nodeSchema(
          'back the node up onto target (full the first time, incremental after); with every, again at that period',
        ),
        for: 'none',
      },
      disaster: {
        schema: nodeSchema('the node’s disk is lost: it goes down, and a blank disk replaces it'),
        for: 'none',
      },
      restore: {
        schema: nodeSchema(
          'restore the node from the backups on target, to the latest (default), seq or time, and restart it',
        ),
        for: 'none',
      },
    },
    modifiers: {
      target: z
        .string({ error: 'expected a backup target’s name, like vault' })
        .regex(/^[a-z][a-z0-9-]*$/, { error: 'expected a name like vault (a-z, 0-9, -)' })
        .describe(
          `with backup and restore: the backup target, a disk outside the cluster (default ${TARGET_DEFAULT})`,
        ),
      every: durationSchema.describe(
        'with backup: back up again at this period until the run ends',
      ),
      to: z
        .literal('latest', { error: 'expected to: latest (or seq: N, or time: 4s)' })
        .describe('with restore: to the latest backup (the default)'),
      seq: intSchema(0).describe(
        'with restore: to this sequence number (the WAL replayed up to it)',
      ),
      time: durationSchema.describe(
        'with restore: to the latest backup taken at or before this virtual time',
      ),
    },
    refine,
    resolve: resolveEntry,
  },
  materialize: (r) => {
    const d = r.data ?? {};
    if (typeof d.node !== 'string') return undefined;
    // A periodic backup's repeats are its first entry's `every`: nothing of their own.
    if (d.repeat === true) return { closes: 'backup:repeat' };
    if (r.action === 'disaster') return { entry: { disaster: d.node }, text: `disaster ${d.node}` };
    const target = String(d.target);
    if (r.action === 'backup') {
      const every = typeof d.every === 'number' ? { every: durationText(d.every) } : {};
      return { entry: { backup: d.node, target, ...every }, text: `backup ${d.node} to ${target}` };
    }
    const to = (d.to ?? {}) as { seq?: number; time?: number };
    const point =
      to.seq !== undefined
        ? { seq: to.seq }
        : to.time !== undefined
          ? { time: durationText(to.time) }
          : {};
    return {
      entry: { restore: d.node, target, ...point },
      text: `restore ${d.node} from ${target}`,
    };
  },
};
