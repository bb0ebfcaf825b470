/**
 * The saga's wire messages, in Garcia-Molina & Salem's vocabulary ("Sagas", SIGMOD 1987): the
 * orchestrator asks a service to run its step (`Step`, T_i) or its compensation (`Compensate`,
 * C_i); the service answers with `StepDone` (applied, or refused by design) and `Compensated`.
 * Each carries the saga id and the order number the orchestrator gave the command, and the
 * (saga id, service) pair is what a service deduplicates by: a retry or a duplicate of a
 * command it already applied is answered again, never applied again. A read of one trip asks
 * every service (`StatusRequest`) and each answers with its `Status`.
 */
import type { Service, TripState } from '../../core/saga-ops.js';
import type { Effect } from '../../core/protocol.js';

export type SagaMessage =
  | {
      readonly type: 'Step';
      readonly saga: string;
      readonly order: number;
      /** The service has nothing to offer this trip: the step is refused by design. */
      readonly unavailable: boolean;
    }
  | { readonly type: 'StepDone'; readonly saga: string; readonly applied: boolean }
  | { readonly type: 'Compensate'; readonly saga: string; readonly order: number }
  | { readonly type: 'Compensated'; readonly saga: string }
  | { readonly type: 'StatusRequest'; readonly read: number; readonly saga: string }
  | {
      readonly type: 'Status';
      readonly read: number;
      readonly service: Service;
      readonly state: TripState;
    };

export type MessageOf<T extends SagaMessage['type']> = Extract<SagaMessage, { type: T }>;

export type SagaEffect = Effect<SagaMessage, unknown>;
