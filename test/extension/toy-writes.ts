/**
 * A test-only workload, to show that a workload is one module plus one registry entry: clients
 * write unique numbers to one register and read it back; after healing, one final read. Its
 * histories follow the existing `register` model, so the linearizability checker applies to it
 * without a line of its own, and it reports a measure of its own: the latency of its writes.
 */
import { z } from 'zod';
import { registerModel } from '../../src/checkers/linearizability/models/register.js';
import type { Operation } from '../../src/core/history.js';
import { metric, type Metrics } from '../../src/core/metrics.js';
import type { WorkloadDefinition } from '../../src/workloads/workload-definition.js';

export type ToyInput = { readonly f: 'write'; readonly value: number } | { readonly f: 'read' };
export interface ToyOutput {
  readonly value?: number | null;
}

interface ToyOptions {
  readonly writes: number;
  readonly reads: number;
}

const optionsSchema = z.strictObject({
  writes: z.number().int().min(0).default(2).describe('relative weight of writes (default 2)'),
  reads: z.number().int().min(0).default(1).describe('relative weight of reads (default 1)'),
});

/** Client c's n-th write writes c * 1,000,000 + n: unique, and it names its writer. */
const uniqueValue = (client: number, n: number): number => (client + 1) * 1_000_000 + n;

function latencies(history: readonly Operation<ToyInput, ToyOutput>[]): number[] {
  return history
    .filter((op) => op.input.f === 'write' && op.outcome === 'ok' && op.completeUs !== undefined)
    .map((op) => (op.completeUs as number) - op.invokeUs);
}

export const toyWrites: WorkloadDefinition<ToyOptions, ToyInput, ToyOutput> = {
  name: 'toy-writes',
  summary: 'writes of unique numbers to one register, and reads (a test-only example)',
  hasClients: true,
  optionsSchema,
  create(options, clients) {
    const counts = new Array<number>(clients).fill(0);
    return {
      next(client, _phase, rng) {
        if (rng.int(0, options.writes + options.reads - 1) >= options.writes) return { f: 'read' };
        counts[client] = (counts[client] ?? 0) + 1;
        return { f: 'write', value: uniqueValue(client, counts[client] as number) };
      },
      finalOps: () => [{ f: 'read' }],
      opName: (op) => op.f,
    };
  },
  model: registerModel,
  formatOp: (op) =>
    op.input.f === 'write' ? `write(${op.input.value})` : `read() -> ${op.output?.value ?? 'nil'}`,
  metrics(history): Metrics {
    const m = metric('write latency', latencies(history));
    return m === undefined ? {} : { writeLatency: m };
  },
};
