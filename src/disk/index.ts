/**
 * The simulated disk's public surface: its configuration, the disk itself and the fault log
 * types. The growable byte buffer stays internal.
 */
export {
  DEFAULT_CRASH_MODEL,
  NO_FAULTS,
} from './disk-config.js';
export type { CrashModel, DiskFaults } from './disk-config.js';
export { SimDisk } from './sim-disk.js';
