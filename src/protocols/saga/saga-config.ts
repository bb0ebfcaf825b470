/**
 * A saga node's configuration, built once per protocol instance and passed to every handler: the
 * scenario's options in microseconds, who orchestrates and which node is which service, and the
 * named bugs (README.md) as booleans. The first node (sorted) orchestrates; the next three are
 * the flight, hotel and car services, in the saga's step order.
 */
import type { NodeId } from '../../core/ids.js';
import { SERVICES, type Service } from '../../core/saga-ops.js';
import type { Micros } from '../../core/time.js';
import type { SAGA_NAMED_BUGS } from './named-bugs.js';

export interface SagaOptions {
  readonly retryMs: number;
  readonly retryMaxMs: number;
}

type SagaBug = (typeof SAGA_NAMED_BUGS)[number]['name'];

export interface SagaConfig {
  /** The first retry's delay; each retry of the same command doubles it, up to `retryMaxUs`. */
  readonly retryUs: Micros;
  readonly retryMaxUs: Micros;
  readonly orchestrator: NodeId;
  /** The service nodes, in step order: `services[0]` is the flight. */
  readonly services: readonly NodeId[];
  readonly bugs: {
    readonly forwardCompensation: boolean;
    readonly nonIdempotentCompensation: boolean;
  };
}

export function createSagaConfig(
  options: SagaOptions,
  bugs: ReadonlySet<string>,
  nodes: readonly NodeId[],
): SagaConfig {
  const sorted = [...nodes].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  const on = (name: SagaBug) => bugs.has(name);
  return {
    retryUs: options.retryMs * 1000,
    retryMaxUs: options.retryMaxMs * 1000,
    orchestrator: sorted[0] as NodeId,
    services: sorted.slice(1, 1 + SERVICES.length),
    bugs: {
      forwardCompensation: on('saga.forward-compensation'),
      nonIdempotentCompensation: on('saga.non-idempotent-compensation'),
    },
  };
}

/** The service a node runs, if it runs one. */
export function serviceOf(cfg: SagaConfig, node: NodeId): Service | undefined {
  const i = cfg.services.indexOf(node);
  return i < 0 ? undefined : SERVICES[i];
}
