/**
 * The bound on storage faults, after TigerBeetle's ClusterFaultAtlas and the CORDS model: at most
 * `faultsPerBlockMax` faults ever hit one (file, sector) block of this disk, across crashes, so a
 * scenario can promise "one fault per block" and keep the system under test inside its claim.
 * It also keeps the log of what was injected, for tests and reports.
 *
 * Blocks are named by file name, not by inode: the bound is about a logical place a protocol
 * reads (`wal` sector 3), and a name is what a report can show. Which replicas may fault a given
 * block (the atlas proper) is the cluster's decision, made by handing a node `faults: undefined`.
 */

export type DiskFaultKind =
  | 'bitFlipOnRead'
  | 'bitFlipOnWrite'
  | 'latentSectorError'
  | 'misdirectedWrite'
  | 'fsyncFail';

export const DISK_FAULT_KINDS: readonly DiskFaultKind[] = Object.freeze([
  'bitFlipOnRead',
  'bitFlipOnWrite',
  'latentSectorError',
  'misdirectedWrite',
  'fsyncFail',
]);

/** One (file, sector) block a fault hit. A fault spanning several blocks logs one entry for each. */
export interface InjectedFault {
  readonly kind: DiskFaultKind;
  readonly file: string;
  readonly sector: number;
}

export class FaultBudget {
  readonly log: InjectedFault[] = [];
  private readonly hits = new Map<string, Map<number, number>>();

  readonly perBlockMax: number;

  constructor(perBlockMax: number) {
    this.perBlockMax = perBlockMax;
  }

  /** True when every one of `sectors` of `file` can take one more fault. */
  allows(file: string, sectors: readonly number[]): boolean {
    if (this.perBlockMax === Infinity) return true;
    const perSector = this.hits.get(file);
    for (const sector of sectors) {
      if ((perSector?.get(sector) ?? 0) >= this.perBlockMax) return false;
    }
    return true;
  }

  /** Records one fault of `kind` against each of `sectors` (call only after `allows`). */
  charge(kind: DiskFaultKind, file: string, sectors: readonly number[]): void {
    let perSector = this.hits.get(file);
    if (perSector === undefined) {
      perSector = new Map();
      this.hits.set(file, perSector);
    }
    for (const sector of sectors) {
      perSector.set(sector, (perSector.get(sector) ?? 0) + 1);
      this.log.push({ kind, file, sector });
    }
  }
}
