/**
 * The knobs of one node's simulated disk: how a power loss treats data that was not fsynced
 * (the crash model, after ALICE's abstract persistence model, Pillai et al. OSDI'14) and which
 * storage faults may strike (after TigerBeetle's VOPR storage, CORDS and Rebello et al.
 * ATC'20). All probabilities are integer parts per million, so every decision stays integral.
 *
 * Left out: latency (the host schedules disk completions), space exhaustion (ENOSPC) and
 * whole-disk loss. The first belongs to the host, the others to a later fault kind.
 */
import { assert } from '../core/assert.js';
import { PPM } from '../core/prng.js';

/** What a power loss does to unsynced state. */
export interface CrashModel {
  /** Chance that one unsynced write persists whole. */
  readonly keepUnsyncedPpm: number;
  /** Chance that a write not kept whole is torn (each sector it touches persists or not) rather than lost. */
  readonly tornPpm: number;
  /** Chance that each further unsynced directory operation survives, in order, stopping at the first lost one. */
  readonly dirOpsKeepPpm: number;
}

/** Storage faults. Each is bounded by `faultsPerBlockMax` per (file, sector) block. */
export interface DiskFaults {
  /** Per read: the returned copy has one bit flipped; the stored bytes stay intact. */
  readonly bitFlipOnReadPpm: number;
  /** Per write: one bit of the data flips as it is stored. */
  readonly bitFlipOnWritePpm: number;
  /** Per write: one sector it touches becomes unreadable (EIO) until it is rewritten. */
  readonly latentSectorErrorPpm: number;
  /** Per write: the whole write lands at another sector-aligned offset of the same file. */
  readonly misdirectedWritePpm: number;
  /** Per fsync with unsynced writes: it fails with EIO and those writes leave the durable path. */
  readonly fsyncFailPpm: number;
  /** At most this many faults ever hit one (file, sector) block; `Infinity` means unbounded. */
  readonly faultsPerBlockMax: number;
}

export interface DiskConfig {
  /** Torn writes, latent errors and misdirection work in sectors of this many bytes (default 512). */
  readonly sectorBytes: number;
  readonly crash: CrashModel;
  /** `undefined`: this node's disk never faults (a crash can still lose unsynced data). */
  readonly faults: DiskFaults | undefined;
}

/**
 * A quarter of unsynced writes survive whole, half of the rest tear, and each unsynced directory
 * operation survives with even odds. Every outcome ALICE allows is reachable, none dominates.
 */
export const DEFAULT_CRASH_MODEL: CrashModel = Object.freeze({
  keepUnsyncedPpm: 250_000,
  tornPpm: 500_000,
  dirOpsKeepPpm: 500_000,
});

/** All fault rates zero: the base to spread a single fault kind onto. */
export const NO_FAULTS: DiskFaults = Object.freeze({
  bitFlipOnReadPpm: 0,
  bitFlipOnWritePpm: 0,
  latentSectorErrorPpm: 0,
  misdirectedWritePpm: 0,
  fsyncFailPpm: 0,
  faultsPerBlockMax: Infinity,
});

export const DEFAULT_DISK_CONFIG: DiskConfig = Object.freeze({
  sectorBytes: 512,
  crash: DEFAULT_CRASH_MODEL,
  faults: undefined,
});

const isPpm = (x: number): boolean => Number.isSafeInteger(x) && x >= 0 && x <= PPM;

/** Asserts that a configuration is well formed (a programmer error otherwise: scenarios validate first). */
export function assertDiskConfig(config: DiskConfig): void {
  assert(
    Number.isSafeInteger(config.sectorBytes) && config.sectorBytes >= 1,
    () => `sectorBytes must be a positive integer, got ${config.sectorBytes}`,
  );
  for (const key of ['keepUnsyncedPpm', 'tornPpm', 'dirOpsKeepPpm'] as const) {
    assert(
      isPpm(config.crash[key]),
      () => `crash.${key} must be an integer in [0, ${PPM}], got ${config.crash[key]}`,
    );
  }
  const faults = config.faults;
  if (faults === undefined) return;
  for (const key of [
    'bitFlipOnReadPpm',
    'bitFlipOnWritePpm',
    'latentSectorErrorPpm',
    'misdirectedWritePpm',
    'fsyncFailPpm',
  ] as const) {
    assert(
      isPpm(faults[key]),
      () => `faults.${key} must be an integer in [0, ${PPM}], got ${faults[key]}`,
    );
  }
  const max = faults.faultsPerBlockMax;
  assert(
    max === Infinity || (Number.isSafeInteger(max) && max >= 0),
    () => `faults.faultsPerBlockMax must be a non-negative integer or Infinity, got ${max}`,
  );
}
