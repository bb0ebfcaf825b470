/**
 * Saga completion (Garcia-Molina & Salem, "Sagas", SIGMOD 1987, §3: a saga runs T1 … Tn, or
 * T1 … Tj followed by Cj … C1; nothing in between survives), judged from the services' final
 * ledgers, which list every booking and cancellation each service applied, in order, with the
 * orchestrator's order number and the service's clock:
 *
 * - every saga ends fully applied (booked at all three services, cancelled at none) or fully
 *   compensated (every booking cancelled); a service that refuses a saga by design never books
 *   it, so that saga must end compensated; and a client told how a saga ended was told the truth.
 * - each step ran at most once and each compensation ran at most once (catalogue B34: a
 *   compensation applied on every delivery cancels twice), and each service holds exactly the
 *   bookings its ledger leaves standing (the resource ledger).
 * - compensations ran in reverse order of their steps, all after the last step (catalogue B33,
 *   workflow-core#191: compensated in forward order), by the order numbers.
 * - no ledger lists a saga no client asked for.
 *
 * It also reports what the saga's lack of isolation cost: how many mid-run reads saw a trip in
 * an intermediate state (booked at one service and not at another), and how long each saga
 * stood in one by the ledgers (from its first booking to its last action). A run whose final
 * ledgers were not all read checked nothing, and says so (`unknown`).
 */
import type { Operation } from '../core/history.js';
import { summarize } from '../core/metrics.js';
import {
  type Ledger,
  type LedgerEntry,
  type SagaInput,
  SERVICES,
  type Service,
  type TripState,
  stepOf,
} from '../core/saga-ops.js';
import type { CheckResult } from './check-result.js';
import type { CheckerDefinition, RunRecord } from './checker-definition.js';

type Book = Extract<SagaInput, { f: 'book' }>;
type SagaOp = Operation<SagaInput, unknown>;

export const sagaCompletionChecker: CheckerDefinition = {
  name: 'saga-completion',
  summary:
    'every saga ends fully applied or fully compensated, each compensation ran at most once and in reverse order; reports the visible intermediate states',
  appliesTo: 'saga histories',
  fits: (scope) =>
    scope.workload.name === 'saga' ? undefined : `the ${scope.workload.name} workload is not saga`,
  check: (run) => [checkSagaCompletion(run)],
};

/** One saga's actions at one service, from its ledger. */
interface AtService {
  readonly books: LedgerEntry[];
  readonly cancels: LedgerEntry[];
}

type Trail = Map<Service, AtService>;

export function checkSagaCompletion(run: Pick<RunRecord, 'history'>): CheckResult {
  const ops = run.history as readonly SagaOp[];
  const ledgers = finalLedgers(ops);
  const missing = SERVICES.filter((s) => !ledgers.has(s));
  if (missing.length > 0)
    return {
      checker: 'saga-completion',
      verdict: 'unknown',
      summary: `checked nothing: the final ledger of ${missing.join(', ')} was never read`,
    };
  const books = new Map<string, SagaOp[]>();
  for (const op of ops)
    if (op.input.f === 'book') books.set(op.input.saga, [...(books.get(op.input.saga) ?? []), op]);
  const problems: string[] = [];
  const trails = trailsOf(ledgers, books, problems);
  const ends = { completed: 0, compensated: 0, untouched: 0 };
  for (const [saga, trail] of trails) judgeSaga(saga, trail, books.get(saga) ?? [], ends, problems);
  const seen = intermediateReads(ops);
  const windows = intermediateWindows(trails);
  if (problems.length > 0)
    return {
      checker: 'saga-completion',
      verdict: 'violation',
      summary: `${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`,
      evidence: { problems: problems.slice(0, 20) },
    };
  const s = summarize(windows);
  const ms = (us: number) => `${(us / 1000).toFixed(1)}ms`;
  const window = s === undefined ? '' : `, each for p50 ${ms(s.p50Us)}, max ${ms(s.maxUs)}`;
  return {
    checker: 'saga-completion',
    verdict: 'ok',
    summary: `${ends.completed} sagas fully applied, ${ends.compensated} fully compensated in reverse order, ${ends.untouched} never applied a step; no step or compensation twice; ${seen.reads} reads saw ${seen.sagas} trips in an intermediate state${window}`,
    evidence: { intermediate: { reads: seen.reads, sagas: seen.sagas, windowUs: s ?? null } },
  };
}

function finalLedgers(ops: readonly SagaOp[]): Map<Service, Ledger> {
  const out = new Map<Service, Ledger>();
  for (const op of ops)
    if (op.input.f === 'ledger' && op.phase === 'final' && op.outcome === 'ok')
      out.set(op.input.service, op.output as Ledger);
  return out;
}

/** Each saga's actions by service, and the ledgers' own problems (held, unasked sagas). */
function trailsOf(
  ledgers: ReadonlyMap<Service, Ledger>,
  books: ReadonlyMap<string, readonly SagaOp[]>,
  problems: string[],
): Map<string, Trail> {
  const trails = new Map<string, Trail>();
  for (const saga of books.keys()) trails.set(saga, new Map());
  for (const service of SERVICES) {
    const ledger = ledgers.get(service) as Ledger;
    let standing = 0;
    for (const e of ledger.entries) {
      const trail = trails.get(e[0]);
      if (trail === undefined) {
        problems.push(`the ${service} ledger lists ${e[0]}, a saga no client asked for`);
        continue;
      }
      const at = trail.get(service) ?? { books: [], cancels: [] };
      trail.set(service, at);
      (e[1] === 'book' ? at.books : at.cancels).push(e);
      standing += e[1] === 'book' ? 1 : -1;
    }
    if (standing !== ledger.held)
      problems.push(
        `the ${service} service holds ${ledger.held} bookings, but its ledger leaves ${standing} standing`,
      );
  }
  return trails;
}

function judgeSaga(
  saga: string,
  trail: Trail,
  ops: readonly SagaOp[],
  ends: { completed: number; compensated: number; untouched: number },
  problems: string[],
): void {
  const unavailable = (ops[0]?.input as Book | undefined)?.unavailable;
  const booked = SERVICES.filter((s) => (trail.get(s)?.books.length ?? 0) > 0);
  const standing = booked.filter((s) => trail.get(s)?.cancels.length === 0);
  for (const [s, at] of trail) {
    if (at.books.length > 1) problems.push(`${saga}: its ${s} step ran ${at.books.length} times`);
    if (at.cancels.length > 1)
      problems.push(`${saga}: its ${s} compensation ran ${at.cancels.length} times`);
    if (at.cancels.length > 0 && at.books.length === 0)
      problems.push(`${saga}: ${s} was cancelled but never booked`);
  }
  if (unavailable !== undefined && booked.includes(unavailable))
    problems.push(`${saga}: ${unavailable} booked it, though it refuses it by design`);
  const outcome =
    standing.length === SERVICES.length
      ? 'completed'
      : standing.length === 0
        ? 'compensated'
        : undefined;
  if (outcome === undefined) {
    const cancelled = booked.filter((s) => !standing.includes(s));
    problems.push(
      `${saga} ended half-applied: booked at ${standing.join(', ')}${cancelled.length > 0 ? `, cancelled at ${cancelled.join(', ')}` : ''}${booked.length < SERVICES.length ? `, never booked at ${SERVICES.filter((s) => !booked.includes(s)).join(', ')}` : ''}`,
    );
    return;
  }
  ends[booked.length === 0 ? 'untouched' : outcome]++;
  for (const op of ops) {
    const told = (op.output as { outcome?: string } | undefined)?.outcome;
    if (op.outcome === 'ok' && told !== outcome)
      problems.push(`${saga}: its client was told ${told}, but its ledgers show it ${outcome}`);
  }
  if (outcome === 'compensated') reverseOrder(saga, trail, problems);
}

/** Compensations by order number must undo the steps from the last to the first. */
function reverseOrder(saga: string, trail: Trail, problems: string[]): void {
  const cancels = [...trail].flatMap(([s, at]) => at.cancels.map((e) => ({ s, order: e[2] })));
  cancels.sort((a, b) => a.order - b.order);
  const lastBook = Math.max(0, ...[...trail.values()].flatMap((at) => at.books.map((e) => e[2])));
  for (let i = 0; i < cancels.length; i++) {
    const c = cancels[i] as { s: Service; order: number };
    if (c.order <= lastBook)
      problems.push(`${saga}: ${c.s} was cancelled (order ${c.order}) before its last step ran`);
    const next = cancels[i + 1];
    if (next !== undefined && stepOf(next.s) > stepOf(c.s))
      problems.push(
        `${saga}: compensated ${c.s} before ${next.s} (orders ${c.order}, ${next.order}): compensations must run in reverse order of their steps`,
      );
  }
}

/** Mid-run reads that saw a trip booked at some service and not at another. */
function intermediateReads(ops: readonly SagaOp[]): { reads: number; sagas: number } {
  let reads = 0;
  const sagas = new Set<string>();
  for (const op of ops) {
    if (op.input.f !== 'read' || op.outcome !== 'ok' || op.output === undefined) continue;
    const states = SERVICES.map((s) => (op.output as Record<Service, TripState>)[s]);
    const booked = states.filter((t) => t === 'booked').length;
    if (booked === 0 || booked === SERVICES.length) continue;
    reads++;
    sagas.add(op.input.saga);
  }
  return { reads, sagas: sagas.size };
}

/** Each saga that booked anything: from its first booking to its last action, by the ledgers. */
function intermediateWindows(trails: ReadonlyMap<string, Trail>): number[] {
  const out: number[] = [];
  for (const trail of trails.values()) {
    const entries = [...trail.values()].flatMap((at) => [...at.books, ...at.cancels]);
    const books = entries.filter((e) => e[1] === 'book');
    if (books.length === 0) continue;
    const first = Math.min(...books.map((e) => e[3]));
    const last = Math.max(...entries.map((e) => e[3]));
    out.push(Math.max(0, last - first));
  }
  return out;
}
