/**
 * No clients at all, for protocols driven only by their own timers (ping, a gossip protocol
 * measured by its own metrics). The run has no history, so only checkers that read the trace or
 * the protocol's own invariants apply.
 */
import { z } from 'zod';
import type { WorkloadDefinition } from './workload-definition.js';

export const noWorkload: WorkloadDefinition<Record<string, never>, never, never> = {
  name: 'none',
  summary: 'no clients (for protocols driven by their own timers, like ping)',
  hasClients: false,
  optionsSchema: z.strictObject({}),
  create: () => ({ next: () => undefined, finalOps: () => [], opName: () => 'none' }),
  formatOp: () => 'none',
};
