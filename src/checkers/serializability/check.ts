/**
 * The serializability checker for list-append histories, after Jepsen's Elle (Kingsbury &
 * Alvaro, VLDB 2020): from what committed transactions read and appended, infer the write-write,
 * write-read and read-write dependencies between them, and report every cycle as the Adya
 * anomaly it is, beside the anomalies a single read shows (aborted and intermediate reads,
 * garbage, duplicates, a transaction contradicting itself). A pure function over transactions:
 * no protocol, no simulation, so it checks a file as well as a run.
 *
 * Verdict: `ok` when there is no anomaly, which for a list-append history with unique appends
 * means some serial order of the committed transactions explains every read (checked against a
 * brute-force search in test/property/serializability.test.ts). Transactions are not ordered by
 * real time or process here: this is serializability, not strict serializability.
 */
import type { Anomaly, AnomalyType } from './anomaly.js';
import { ANOMALY_TYPES } from './anomaly.js';
import { Appends } from './appends.js';
import { findCycles } from './cycles.js';
import { inferDependencies, type InferOptions } from './infer-dependencies.js';
import { observe } from './observations.js';
import type { Txn } from './txn.js';
import { versionOrders } from './version-orders.js';

export interface SerialCheck {
  readonly verdict: 'ok' | 'violation';
  /** The anomaly types found, in ANOMALY_TYPES order. */
  readonly anomalyTypes: readonly AnomalyType[];
  readonly anomalies: readonly Anomaly[];
  readonly txns: number;
  readonly committed: number;
  readonly edges: number;
  /** Strongly connected components of more than one transaction (each holds a cycle). */
  readonly components: number;
  /** Components past CYCLES_REPORTED_MAX, not explained. */
  readonly cyclesLeftOut: number;
}

export type CheckOptions = InferOptions;

export function checkSerializable(txns: readonly Txn[], options: CheckOptions = {}): SerialCheck {
  const anomalies: Anomaly[] = [];
  const observations = observe(txns, anomalies);
  const appends = new Appends(txns, observations);
  appends.duplicates(anomalies);
  const orders = versionOrders(txns, observations, appends, anomalies);
  const graph = inferDependencies(txns, observations, appends, orders, options);
  const cycles = findCycles(graph, txns);
  anomalies.push(...cycles.anomalies);
  const rank = (t: AnomalyType) => ANOMALY_TYPES.indexOf(t);
  anomalies.sort((a, b) => rank(a.type) - rank(b.type));
  const anomalyTypes = ANOMALY_TYPES.filter((t) => anomalies.some((a) => a.type === t));
  return {
    verdict: anomalies.length === 0 ? 'ok' : 'violation',
    anomalyTypes,
    anomalies,
    txns: txns.length,
    committed: txns.filter((t) => t.outcome === 'ok').length,
    edges: graph.edgeCount(),
    components: cycles.components,
    cyclesLeftOut: cycles.cyclesLeftOut,
  };
}
