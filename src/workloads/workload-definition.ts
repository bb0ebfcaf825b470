/**
 * What a workload package declares: its name and options, how to build the operation generator
 * for a run, the sequential model its histories are checked against, how one of its operations
 * prints, and, optionally, measures of its own. The scenario parser, `faultline list`, the
 * JSON Schema, history recording and the checkers all read this one declaration, so a new
 * workload is one file and one line in workloads/registry.ts.
 */
import type { z } from 'zod';
import type { AnyModel } from '../checkers/linearizability/types.js';
import type { History, Operation } from '../core/history.js';
import type { Metrics } from '../core/metrics.js';
import type { Workload } from '../core/workload.js';

/** A strict zod object: the workload's own fields in a scenario's `workload:` block. */
type WorkloadOptionsSchema = z.ZodObject<z.ZodRawShape, z.core.$strict>;

export interface WorkloadDefinition<Options = unknown, In = unknown, Out = unknown> {
  readonly name: string;
  readonly summary: string;
  /** False for a workload without clients (`none`): the client fields do not apply. */
  readonly hasClients: boolean;
  /**
   * Its own fields beside the client ones (`clients`, `think`, `timeout`, `retries`,
   * `opsPerClientMax`); each field's `.describe()` is its documentation.
   */
  readonly optionsSchema: WorkloadOptionsSchema;
  /** The operation generator for one run with `clients` clients against `nodes` nodes. */
  create(options: Options, clients: number, nodes: number): Workload<In>;
  /** The sequential model its histories are checked against for linearizability, if any. */
  readonly model?: AnyModel<In, Out>;
  /** One operation as a person reads it in findings: `append(k0, c1.53)`. */
  formatOp(op: Operation<In, Out>): string;
  /** Measures of its own over the run's history (latency, availability…), keyed by name. */
  metrics?(history: History<In, Out>): Metrics;
}

/** A workload of any options and operation types, as registries and the parser hold them. */
// biome-ignore lint/suspicious/noExplicitAny: a registry holds workloads of many types
export type AnyWorkloadDefinition = WorkloadDefinition<any, any, any>;
