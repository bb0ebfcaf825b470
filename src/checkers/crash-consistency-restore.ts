/**
 * What a restore from backups may lose, judged rather than waived. A restore vouches for a
 * point in time (`pointUs`, core/backup-tool.ts): every write acknowledged by then is in the
 * restored state. A write acknowledged after that point and before the restore itself may be
 * gone (the backups never saw it): the price of the restore, measured here as its recovery
 * point objective (how many acknowledged writes it lost, and the virtual time they span). A
 * write acknowledged at or before the point that is missing is a violation, as is any loss the
 * restore does not explain (acknowledged after the restore, say): a restore that skipped its WAL
 * replay, or restored the wrong backup, fails here.
 */
import type { Micros } from '../core/time.js';

/** A restore as the run recorded it. */
export interface Restore {
  readonly node: string;
  /** When the restore ran. */
  readonly atUs: Micros;
  /** Every write acknowledged at or before this time must be in the restored state. */
  readonly pointUs: Micros;
}

/** A restore's measured cost: the acknowledged writes it lost, and when they were acknowledged. */
export interface RestoreLoss extends Restore {
  readonly lost: number;
  /** The first and last acknowledgement among them, when any were lost. */
  readonly lostAckedUs?: readonly [Micros, Micros];
}

interface Lost {
  readonly completeUs: number | undefined;
}

/**
 * Splits lost writes into those a restore explains (acknowledged after its point and before
 * it ran) and the rest, and measures each restore's loss.
 */
export function lostToRestores<L extends Lost>(
  lost: readonly L[],
  restores: readonly Restore[],
): { readonly rest: L[]; readonly losses: RestoreLoss[] } {
  const byRestore = restores.map(() => [] as Micros[]);
  const rest: L[] = [];
  for (const w of lost) {
    const t = w.completeUs;
    const i = t === undefined ? -1 : restores.findIndex((r) => t > r.pointUs && t <= r.atUs);
    if (i < 0 || t === undefined) rest.push(w);
    else byRestore[i]?.push(t);
  }
  const losses = restores.map((r, i): RestoreLoss => {
    const acked = byRestore[i] ?? [];
    if (acked.length === 0) return { ...r, lost: 0 };
    return { ...r, lost: acked.length, lostAckedUs: [Math.min(...acked), Math.max(...acked)] };
  });
  return { rest, losses };
}
