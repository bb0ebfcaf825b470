/**
 * The backup targets of a run: disks outside the cluster, one per name a scenario's backup
 * entries give (`target: vault`), made at the first backup or restore that names one. A target
 * has the disk model of the node it serves (its sector size) but no faults and never crashes:
 * what the scenario loses is the node's disk, not the vault. Held per world (the fault host), so
 * runs in one process, or one worker, never share one.
 */
import { Prng } from '../core/prng.js';
import type { DiskConfig } from '../disk/disk-config.js';
import { SimDisk } from '../disk/sim-disk.js';
import type { FaultHost } from '../sim/faults.js';

const TARGETS = new WeakMap<FaultHost, Map<string, SimDisk>>();

export function targetDisk(host: FaultHost, name: string, model: DiskConfig): SimDisk {
  let targets = TARGETS.get(host);
  if (targets === undefined) {
    targets = new Map();
    TARGETS.set(host, targets);
  }
  let disk = targets.get(name);
  if (disk === undefined) {
    // No faults and no crash: it draws nothing, so its generator's seed does not matter.
    disk = new SimDisk({ ...model, faults: undefined }, Prng.root(0).fork(`backup:${name}`));
    targets.set(name, disk);
  }
  return disk;
}
