/**
 * How a new member of a shard's next epoch gets the shard's state (the `recovery` option):
 *
 * - `state-transfer` (the default): a donor sends every file of its frozen group (transfer.ts).
 * - `checkpoint-restore`: the groups take checkpoints every `checkpointEvery` applied entries
 *   (primary/backup's own, its checkpoint.ts: a snapshot of the kv store at a log position, on
 *   disk, fsynced), and a donor sends its newest checkpoint plus the log after it
 *   (primary/backup's `checkpointShipment`), or every file when it has taken none yet. The new
 *   member recovers the same log positions and kv store from fewer bytes once the log is longer
 *   than the state; the copy is written and made durable exactly as a whole one is.
 *
 * It also watches, for the recovery metrics (recovery-metrics.ts), the groups of a moved
 * shard's new epoch until one of them serves: a primary that has committed an entry of its own
 * epoch (read through primary/backup's public `isPrimary` and `commitIndexOf`).
 */
import type { EmbeddedNode, SteppedNodes } from '../../components/sub-node/embedded-node.js';
import { checkpointShipment, commitIndexOf, isPrimary } from '../primary-backup/index.js';
import type { ClusterConfig } from './cluster-config.js';
import type { ClusterEffect, TransferFile } from './messages.js';
import { SHARD_SERVING } from './recovery-metrics.js';

/** What the serving watch needs of a storage node (storage.ts). */
interface ServingWatch {
  readonly groups: ReadonlyMap<string, EmbeddedNode<unknown, unknown>>;
  readonly serving: Map<string, Watched>;
  /** The groups that stepped in this event (each notes itself when it steps). */
  readonly stepped: SteppedNodes;
}

/** A watched group: its shard, and its commit index when it started here. */
interface Watched {
  readonly shard: number;
  readonly commitAtStart: number;
}

/** What a donor sends a new member for `files`, its frozen group's files. */
export function filesToShip(
  cfg: ClusterConfig,
  files: TransferFile[],
  fx: ClusterEffect[],
): TransferFile[] {
  if (cfg.options.recovery !== 'checkpoint-restore') return files;
  const shipment = checkpointShipment(files);
  if (shipment === undefined) {
    fx.push({ type: 'mark', name: 'cluster.ship-whole' });
    return files;
  }
  fx.push({ type: 'mark', name: 'cluster.ship-checkpoint', value: shipment.checkpointIndex });
  return shipment.files;
}

/** A group of a later epoch has started here: watch it until it serves. */
export function watchServing(s: ServingWatch, ns: string, shard: number, epoch: number): void {
  if (epoch === 1) return;
  const at = commitOf(s, ns);
  if (at !== undefined) s.serving.set(ns, { shard, commitAtStart: at });
}

/**
 * After a step: a watched group that now serves is marked once, with its shard. A step of one
 * group alone (`stepped`: its message, timer or disk completion) can change only that group,
 * so only it is checked; any other step (a map, a copy, a peer's heartbeat waking groups)
 * checks every watched group, in the order they were watched, when one of them stepped: a
 * group's state changes only by its own steps. (A stopped group's watch, which the scan drops,
 * is dropped at a later one: it can never serve again.)
 */
export function noteServing(s: ServingWatch, fx: ClusterEffect[], stepped?: string): void {
  // `forEach`: called after most events, and it allocates no entry per watched group.
  if (stepped === undefined) {
    if (!watchedStepped(s)) return;
    s.serving.forEach((w, ns) => {
      checkServing(s, ns, w, fx);
    });
  } else {
    const w = s.serving.get(stepped);
    if (w !== undefined) checkServing(s, stepped, w, fx);
  }
}

function watchedStepped(s: ServingWatch): boolean {
  if (s.serving.size === 0) return false;
  for (let i = 0; i < s.stepped.size; i++) if (s.serving.has(s.stepped.at(i).ns)) return true;
  return false;
}

function checkServing(s: ServingWatch, ns: string, w: Watched, fx: ClusterEffect[]): void {
  const g = s.groups.get(ns);
  if (g?.state === undefined) s.serving.delete(ns);
  else if (isPrimary(g.state) && commitIndexOf(g.state) > w.commitAtStart) {
    s.serving.delete(ns);
    fx.push({ type: 'mark', name: SHARD_SERVING, value: w.shard });
  }
}

function commitOf(s: ServingWatch, ns: string): number | undefined {
  const g = s.groups.get(ns);
  return g?.state === undefined ? undefined : commitIndexOf(g.state);
}
