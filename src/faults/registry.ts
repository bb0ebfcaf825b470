/**
 * Every fault kind faultline ships, in the order `faultline list` shows them. A scenario's
 * schedule entries and random nemeses name their actions; the world applies them through these.
 * Adding a fault kind is a module beside these and a line here.
 */
import { backupFault } from './backup.js';
import { clogFault } from './clog.js';
import { crashFault } from './crash.js';
import type { FaultKind } from './fault-kind.js';
import { membershipFault } from './membership.js';
import { partitionFault } from './partition.js';
import { pauseFault } from './pause.js';
import { skewFault } from './skew.js';

export const FAULT_KINDS: readonly FaultKind[] = [
  partitionFault,
  crashFault,
  pauseFault,
  clogFault,
  skewFault,
  membershipFault,
  backupFault,
];
