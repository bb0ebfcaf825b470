/**
 * The saga workload's vocabulary, shared by its clients, the protocol that serves it (saga) and
 * the checker that judges it (saga-completion), as bank-ops.ts is for the bank: a trip booked
 * across three services, each a step of the saga in this order, each with a compensation that
 * cancels it (Garcia-Molina & Salem, "Sagas", SIGMOD 1987: T1..Tn with C1..Cn).
 *
 * - `book`: run saga `saga` (unique over the run). A service listed as `unavailable` refuses
 *   its step by design (no seat, no room, no car), so the saga must be compensated. Its output
 *   says how the saga ended: every step applied, or every applied step compensated.
 * - `read`: one trip's state at each service, as another client sees it mid-run: what makes a
 *   saga's intermediate states visible.
 * - `ledger`: one service's whole ledger once faults healed: every booking and cancellation it
 *   applied, in order, each with the orchestrator's order number for the command and the
 *   service's clock when it applied it, and the bookings it holds.
 */

export const SERVICES = ['flight', 'hotel', 'car'] as const;
export type Service = (typeof SERVICES)[number];

export type SagaInput =
  | { readonly f: 'book'; readonly saga: string; readonly unavailable?: Service }
  | { readonly f: 'read'; readonly saga: string }
  | { readonly f: 'ledger'; readonly service: Service };

/** How a saga ended: every step applied, or every applied step compensated. */
export type SagaOutcome = 'completed' | 'compensated';

/** A trip at one service: never booked, booked, or booked and then cancelled. */
export type TripState = 'none' | 'booked' | 'cancelled';

/**
 * One applied action in a service's ledger: the saga, `book` or `cancel`, the orchestrator's
 * order number for the command (1, 2, 3 for the steps, then 4, 5… for compensations, in the
 * order it ran them) and the service's clock reading when it applied it.
 */
export type LedgerEntry = readonly [
  saga: string,
  action: 'book' | 'cancel',
  order: number,
  atUs: number,
];

export interface Ledger {
  readonly entries: readonly LedgerEntry[];
  /** Bookings the service holds now: booked and not cancelled. */
  readonly held: number;
}

export type SagaOutput =
  | { readonly outcome: SagaOutcome }
  | Readonly<Record<Service, TripState>>
  | Ledger;

/** A step's index in the saga (0 for the flight), which is also its order number minus 1. */
export const stepOf = (s: Service): number => SERVICES.indexOf(s);
