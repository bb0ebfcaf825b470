/**
 * The kv-store's named bugs: the storage engine's WAL-side mutations (lsm-options.ts), each the
 * research catalogue's item it reproduces (`../shared/research/bugs-and-fault-models.md` part B),
 * with the canary that proves the fuzzer still catches it. And the coverage marks the lsm
 * scenarios must hit, so a clean sweep means recovery really ran.
 */
import type { BugDefinition, CoverageDefinition } from '../../core/protocol-definition.js';
import { KV_MARKS } from './kv-store.js';

const CRASH = 'scenarios/lsm-crash.yaml';
const POWER_LOSS = 'scenarios/lsm-power-loss.yaml';
const DISK_FAULTS = 'scenarios/lsm-disk-faults.yaml';

export const KV_STORE_NAMED_BUGS = [] as const satisfies readonly BugDefinition[];

export const KV_STORE_COVERAGE: readonly CoverageDefinition[] = [
  { scenario: CRASH, seeds: 5, marks: [KV_MARKS.recovered, KV_MARKS.flushed] },
  { scenario: POWER_LOSS, seeds: 5, marks: [KV_MARKS.recovered, KV_MARKS.tornTail] },
  { scenario: DISK_FAULTS, seeds: 5, marks: [KV_MARKS.fsyncFailed, KV_MARKS.readRetried] },
];
