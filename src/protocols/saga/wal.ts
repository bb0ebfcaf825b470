/**
 * The log records of both roles, as flat arrays (cheaper to encode than objects). Garcia-Molina
 * & Salem §5 keep a saga log of begin-saga, end-saga and each step's outcome, so that after a
 * crash the saga can be carried on or backed out; the orchestrator here logs:
 *
 * - `['B', saga, unavailable, requestedAtUs]`: the saga begins, fsynced before its first step;
 *   `unavailable` is the service the workload says refuses (null for none).
 * - `['S', saga, step, atUs]`: step `step` (0 flight, 1 hotel, 2 car) applied, fsynced before
 *   the next step or any compensation is sent; `atUs` the orchestrator's clock when it learned
 *   it, so the intermediate state's duration survives a restart.
 * - `['F', saga, step]`: step `step` refused: from here the saga is backed out.
 * - `['C', saga, step]`: the compensation of step `step` applied.
 * - `['E', saga, outcome]`: the saga ended, `completed` or `compensated`.
 *
 * A service logs `['B', saga, order, atUs]` (booked) and `['X', saga, order, atUs]` (cancelled),
 * each fsynced before it answers: its bookings are its own data, and survive it.
 */
import type { SagaOutcome, Service } from '../../core/saga-ops.js';

export type OrchestratorRecord =
  | readonly ['B', string, Service | null, number]
  | readonly ['S', string, number, number]
  | readonly ['F', string, number]
  | readonly ['C', string, number]
  | readonly ['E', string, SagaOutcome];

export type ServiceRecord =
  | readonly ['B', string, number, number]
  | readonly ['X', string, number, number];
