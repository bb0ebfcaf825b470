/**
 * A saga node's state, one role per node for the whole run (a discriminated union):
 *
 * - orchestrator: every saga it was asked to run, with how far it got: the steps applied, the
 *   compensations applied, the command in flight and how often it was retried. Ended sagas stay,
 *   so a client that asks again about one hears how it ended.
 * - service: its bookings by saga (the one step it runs per saga), the ledger of what it
 *   applied in order, and how many bookings it holds.
 *
 * Both roles answer reads of a trip: `reads` are the reads they are gathering from the three
 * services. Everything needed after a crash is in the log (wal.ts); the rest is lost.
 */
import type { NodeId } from '../../core/ids.js';
import type { LedgerEntry, SagaOutcome, Service, TripState } from '../../core/saga-ops.js';
import type { Micros } from '../../core/time.js';
import { DurableLog } from '../shared/durable-log.js';

/** What a log fsync releases: the step waiting for the record it made durable. */
type AfterSync =
  | { readonly kind: 'begun'; readonly saga: string }
  | { readonly kind: 'step-logged'; readonly saga: string; readonly step: number }
  | { readonly kind: 'refusal-logged'; readonly saga: string }
  | { readonly kind: 'compensation-logged'; readonly saga: string; readonly step: number }
  | { readonly kind: 'ended'; readonly saga: string }
  | {
      readonly kind: 'booked' | 'cancelled';
      readonly saga: string;
      readonly entry: LedgerEntry;
      readonly to: NodeId;
    };

/** A command sent and not yet answered: a step (forward) or a compensation of a step. */
export interface Command {
  readonly kind: 'step' | 'compensate';
  readonly step: number;
  readonly order: number;
  /** How many times it was sent again (its next retry waits 2^tries times the first). */
  tries: number;
}

export interface SagaRun {
  readonly saga: string;
  readonly unavailable: Service | undefined;
  /** Client requests (attempt ids) waiting for its outcome. */
  readonly requests: number[];
  /** begun (BEGIN being logged) → forward → compensating (a step refused) → ended. */
  phase: 'beginning' | 'forward' | 'compensating' | 'ended';
  /** Steps applied, in order; compensations applied, in the order they ran. */
  readonly applied: number[];
  readonly compensated: number[];
  /** The command in flight, if any (none while the answer to the last one is being logged). */
  pending: Command | undefined;
  /** When the client asked (the orchestrator's clock), and when its first step applied. */
  readonly requestedAtUs: Micros;
  firstAppliedAtUs: Micros | undefined;
  outcome: SagaOutcome | undefined;
}

/** A read of one trip being gathered from the three services. */
interface TripRead {
  readonly requestId: number;
  readonly states: Partial<Record<Service, TripState>>;
}

export interface OrchestratorState {
  readonly role: 'orchestrator';
  readonly id: NodeId;
  readonly log: DurableLog<AfterSync>;
  readonly sagas: Map<string, SagaRun>;
  readonly reads: Map<number, TripRead>;
}

export interface Booking {
  /** booking (BOOK being logged) → booked → cancelling (CANCEL being logged) → cancelled. */
  status: 'booking' | 'booked' | 'cancelling' | 'cancelled';
}

export interface ServiceState {
  readonly role: 'service';
  readonly id: NodeId;
  readonly service: Service;
  readonly log: DurableLog<AfterSync>;
  readonly bookings: Map<string, Booking>;
  readonly ledger: LedgerEntry[];
  held: number;
  readonly reads: Map<number, TripRead>;
}

export type SagaState = OrchestratorState | ServiceState;

const FSYNC_FAILED = 'saga.fsync-failed';

export function freshOrchestrator(id: NodeId): OrchestratorState {
  const log = new DurableLog<AfterSync>(FSYNC_FAILED);
  return { role: 'orchestrator', id, log, sagas: new Map(), reads: new Map() };
}

export function freshService(id: NodeId, service: Service): ServiceState {
  const log = new DurableLog<AfterSync>(FSYNC_FAILED);
  return {
    role: 'service',
    id,
    service,
    log,
    bookings: new Map(),
    ledger: [],
    held: 0,
    reads: new Map(),
  };
}

/** What a trip looks like at a service to a reader: a booking is visible once durable. */
export function tripState(b: Booking | undefined): TripState {
  if (b === undefined || b.status === 'booking') return 'none';
  return b.status === 'cancelled' ? 'cancelled' : 'booked';
}
