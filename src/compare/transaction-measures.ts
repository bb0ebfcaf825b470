/**
 * What a transaction protocol's choices cost, for one seed, so two-phase commit and a Saga can
 * be read side by side (the 2pc-blocks lesson): work begun and aborted (a transfer that ended
 * `fail`, or a saga that was compensated: its steps ran and were undone), mid-run reads that saw
 * an intermediate state (a read listing a transfer on one of its accounts and not the other; a
 * trip booked at one service and not at another), how many transactions were blocked in doubt
 * and for how long (two-phase commit's `blocked` measure), and how long sagas stood in a
 * visible intermediate state (the saga's `intermediate` measure). A workload that is neither the
 * bank nor the saga has none of these.
 */
import type { BankInput, BankOutput } from '../core/bank-ops.js';
import type { History, Operation } from '../core/history.js';
import type { Metric } from '../core/metrics.js';
import { SERVICES, type SagaInput, type Service, type TripState } from '../core/saga-ops.js';
import type { RunResult } from '../run/run-result.js';

/** A measure's count with its p50 and max, in µs. */
export interface Spread {
  readonly count: number;
  readonly p50Us: number;
  readonly maxUs: number;
}

export interface TransactionMeasures {
  /** Transfers or sagas begun in the faulty phase, and those aborted or compensated. */
  readonly begun: number;
  readonly aborted: number;
  /** Mid-run reads that completed, and those that saw an intermediate state. */
  readonly reads: number;
  readonly intermediateReads: number;
  readonly blocked?: Spread;
  readonly intermediate?: Spread;
}

const spread = (m: Metric | undefined): Spread | undefined =>
  m === undefined ? undefined : { count: m.count, p50Us: m.p50Us, maxUs: m.maxUs };

export function transactionMeasures(
  result: RunResult,
  history: History,
): TransactionMeasures | undefined {
  const kind = history.find((op) => op.f === 'transfer' || op.f === 'book')?.f;
  if (kind === undefined) return undefined;
  const counts =
    kind === 'transfer'
      ? bankCounts(history as readonly Operation<BankInput, BankOutput>[])
      : sagaCounts(history as readonly Operation<SagaInput, unknown>[]);
  const blocked = spread(result.metrics.blocked);
  const intermediate = spread(result.metrics.intermediate);
  return {
    ...counts,
    ...(blocked !== undefined ? { blocked } : {}),
    ...(intermediate !== undefined ? { intermediate } : {}),
  };
}

type Counts = Pick<TransactionMeasures, 'begun' | 'aborted' | 'reads' | 'intermediateReads'>;

function bankCounts(history: readonly Operation<BankInput, BankOutput>[]): Counts {
  const c = { begun: 0, aborted: 0, reads: 0, intermediateReads: 0 };
  for (const op of history) {
    if (op.phase !== 'faulty') continue;
    if (op.input.f === 'transfer') {
      c.begun++;
      if (op.outcome === 'fail') c.aborted++;
    } else if (op.outcome === 'ok' && op.output !== undefined) {
      c.reads++;
      if (sawPartOfATransfer(op.output)) c.intermediateReads++;
    }
  }
  return c;
}

/** A read lists some transfer on one account it read and not on another it read. */
function sawPartOfATransfer(out: BankOutput): boolean {
  const on = new Map<string, number>();
  for (const a of Object.values(out)) for (const id of a.applied) on.set(id, (on.get(id) ?? 0) + 1);
  // Every transfer touches two accounts, and a read of every balance reads both.
  return [...on.values()].some((n) => n !== 2);
}

function sagaCounts(history: readonly Operation<SagaInput, unknown>[]): Counts {
  const c = { begun: 0, aborted: 0, reads: 0, intermediateReads: 0 };
  for (const op of history) {
    if (op.phase !== 'faulty') continue;
    if (op.input.f === 'book') {
      c.begun++;
      if ((op.output as { outcome?: string } | undefined)?.outcome === 'compensated') c.aborted++;
    } else if (op.input.f === 'read' && op.outcome === 'ok' && op.output !== undefined) {
      c.reads++;
      const states = SERVICES.map((s) => (op.output as Record<Service, TripState>)[s]);
      const booked = states.filter((t) => t === 'booked').length;
      if (booked > 0 && booked < SERVICES.length) c.intermediateReads++;
    }
  }
  return c;
}
