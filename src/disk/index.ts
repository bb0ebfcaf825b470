/**
 * The simulated disk's public surface: its configuration, the disk itself and the fault log
 * types. The growable byte buffer stays internal.
 */
export {
  assertDiskConfig,
  DEFAULT_CRASH_MODEL,
  DEFAULT_DISK_CONFIG,
  NO_FAULTS,
} from './disk-config.js';
export type { CrashModel, DiskConfig, DiskFaults } from './disk-config.js';
export { DISK_FAULT_KINDS } from './fault-budget.js';
export type { DiskFaultKind, InjectedFault } from './fault-budget.js';
export { SimDisk } from './sim-disk.js';
export type { DiskResult, DiskWriteResult, SimDiskStats } from './sim-disk.js';
