/**
 * Storage-node liveness as the manager leader judges it: a phi-accrual detector per node
 * (Hayashibara et al., SRDS 2004; `components/failure-detectors`) fed by the node's heartbeats
 * (`MapRequest`). A node whose φ stays at or above the threshold for `deadAfterUs` is declared
 * dead, which is what re-replication acts on; a short spike (a slow link, a pause) only makes it
 * suspected. A dead node that is heard again is live again, holding only what new placements
 * give it (storage.ts never restarts a group of a superseded epoch).
 *
 * Volatile and the leader's own: a new leader starts every node as heard at its first tick as
 * leader, so a node already silent accrues φ from there (declared dead at most one detection
 * window later than the old leader would have). Left out: liveness replicated on Raft.
 */
import type { NodeId } from '../../core/ids.js';
import {
  type PhiAccrualDetector,
  type PhiAccrualState,
  phiAccrualDetector,
} from '../../components/failure-detectors/phi-accrual.js';
import { assert } from '../../core/assert.js';

export interface LivenessOptions {
  readonly phiThreshold: number;
  readonly heartbeatUs: number;
  readonly deadAfterUs: number;
}

export class Liveness {
  private readonly detector: PhiAccrualDetector;
  private readonly states = new Map<NodeId, PhiAccrualState>();
  private readonly suspectedSince = new Map<NodeId, number>();
  /** Dead nodes, with when they were declared dead. */
  readonly dead = new Map<NodeId, number>();

  constructor(
    private readonly o: LivenessOptions,
    nodes: readonly NodeId[],
    nowUs: number,
  ) {
    const d = phiAccrualDetector({
      threshold: o.phiThreshold,
      maxSampleSize: 100,
      minStdDeviationUs: Math.max(1, Math.round(o.heartbeatUs / 2)),
      acceptableHeartbeatPauseUs: o.heartbeatUs * 2,
      firstHeartbeatEstimateUs: o.heartbeatUs,
    });
    assert(d.ok, () => `liveness: ${d.ok ? '' : d.problems.join('; ')}`);
    this.detector = d.value;
    for (const n of nodes)
      this.states.set(n, this.detector.heartbeat(this.detector.initial(), nowUs));
  }

  heard(node: NodeId, nowUs: number): void {
    const s = this.states.get(node);
    if (s === undefined) return;
    this.states.set(node, this.detector.heartbeat(s, nowUs));
    this.suspectedSince.delete(node);
    this.dead.delete(node);
  }

  /** Starts judging a node that joined the cluster, as heard at `nowUs`. */
  track(node: NodeId, nowUs: number): void {
    if (!this.states.has(node))
      this.states.set(node, this.detector.heartbeat(this.detector.initial(), nowUs));
  }

  /** Stops judging a node that left the cluster. */
  forget(node: NodeId): void {
    this.states.delete(node);
    this.suspectedSince.delete(node);
    this.dead.delete(node);
  }

  /** Nodes newly declared dead at `nowUs`, sorted, each with how long it had been silent. */
  check(nowUs: number): { readonly node: NodeId; readonly silentUs: number }[] {
    const out: { node: NodeId; silentUs: number }[] = [];
    for (const [node, s] of this.states) {
      if (this.dead.has(node)) continue;
      const phi = this.detector.phi(s, nowUs);
      if (phi < this.o.phiThreshold) {
        this.suspectedSince.delete(node);
        continue;
      }
      const since = this.suspectedSince.get(node) ?? nowUs;
      this.suspectedSince.set(node, since);
      if (nowUs - since >= this.o.deadAfterUs) {
        this.dead.set(node, nowUs);
        out.push({ node, silentUs: nowUs - (s.lastHeartbeatUs ?? nowUs) });
      }
    }
    return out.sort((a, b) => (a.node < b.node ? -1 : 1));
  }

  isLive(node: NodeId): boolean {
    return !this.dead.has(node);
  }
}
