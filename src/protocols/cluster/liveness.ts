/**
 * Storage-node liveness as the manager leader judges it, fed by each node's heartbeats
 * (`MapRequest`), with one of two detectors (`components/failure-detectors`), by the
 * `detector` option:
 *
 * - `phi` (the default): phi accrual (Hayashibara et al., SRDS 2004). A node whose φ stays at or
 *   above the threshold for `deadAfterUs` is declared dead; a short spike (a slow link, a pause)
 *   only makes it suspected.
 * - `fixed`: a fixed timeout (Chandra & Toueg's simplest detector): a node silent for
 *   `timeoutUs` is declared dead at once, however the link behaved before; the baseline phi
 *   accrual is measured against (the failure-detectors lesson).
 *
 * Declared dead is what re-replication acts on. A dead node that is heard again is live again,
 * holding only what new placements give it (storage.ts never restarts a group of a superseded
 * epoch); one heard again still holding a map never restarted, so it had not crashed: its
 * declaration was a false suspicion, returned by `heard` for the metric (a restarted node holds
 * no map until it asks).
 *
 * Volatile and the leader's own: a new leader starts every node as heard at its first tick as
 * leader, so a node already silent accrues φ from there (declared dead at most one detection
 * window later than the old leader would have). Left out: liveness replicated on Raft.
 */
import type { NodeId } from '../../core/ids.js';
import { fixedTimeoutDetector } from '../../components/failure-detectors/fixed-timeout.js';
import { phiAccrualDetector } from '../../components/failure-detectors/phi-accrual.js';
import { assert } from '../../core/assert.js';

export interface LivenessOptions {
  readonly detector: 'phi' | 'fixed';
  readonly phiThreshold: number;
  readonly heartbeatUs: number;
  /** `phi`: how long φ must stay over the threshold. */
  readonly deadAfterUs: number;
  /** `fixed`: the silence that declares a node dead. */
  readonly timeoutUs: number;
}

/** One detector's judgement of one node, whichever detector it is. */
interface Judge {
  heard(nowUs: number): void;
  suspected(nowUs: number): boolean;
  /** How long `deadAfter` holds suspicion before the declaration (0: at once). */
  readonly holdUs: number;
  lastHeartbeatUs(): number | undefined;
}

type JudgeFactory = (startUs: number) => Judge;

function phiJudges(o: LivenessOptions): JudgeFactory {
  const d = phiAccrualDetector({
    threshold: o.phiThreshold,
    maxSampleSize: 100,
    minStdDeviationUs: Math.max(1, Math.round(o.heartbeatUs / 2)),
    acceptableHeartbeatPauseUs: o.heartbeatUs * 2,
    firstHeartbeatEstimateUs: o.heartbeatUs,
  });
  assert(d.ok, () => `liveness: ${d.ok ? '' : d.problems.join('; ')}`);
  const fd = d.value;
  return (startUs) => {
    let s = fd.heartbeat(fd.initial(), startUs);
    return {
      heard: (now) => {
        s = fd.heartbeat(s, now);
      },
      suspected: (now) => fd.phi(s, now) >= o.phiThreshold,
      holdUs: o.deadAfterUs,
      lastHeartbeatUs: () => s.lastHeartbeatUs,
    };
  };
}

function fixedJudges(o: LivenessOptions): JudgeFactory {
  const d = fixedTimeoutDetector({ timeoutUs: o.timeoutUs });
  assert(d.ok, () => `liveness: ${d.ok ? '' : d.problems.join('; ')}`);
  const fd = d.value;
  return (startUs) => {
    let s = fd.initial(startUs);
    return {
      heard: (now) => {
        s = fd.heartbeat(s, now);
      },
      suspected: (now) => fd.isSuspected(s, now),
      holdUs: 0,
      lastHeartbeatUs: () => s.lastHeartbeatUs,
    };
  };
}

export class Liveness {
  private readonly judges = new Map<NodeId, Judge>();
  private readonly suspectedSince = new Map<NodeId, number>();
  /** Dead nodes, with when they were declared dead. */
  readonly dead = new Map<NodeId, number>();

  private readonly judge: JudgeFactory;

  constructor(o: LivenessOptions, nodes: readonly NodeId[], nowUs: number) {
    this.judge = o.detector === 'fixed' ? fixedJudges(o) : phiJudges(o);
    for (const n of nodes) this.judges.set(n, this.judge(nowUs));
  }

  /**
   * A heartbeat from `node`, which holds a map when `running` (it did not restart since it
   * last had one). A dead node heard running was wrongly declared: how long it was held dead.
   */
  heard(node: NodeId, nowUs: number, running = false): { falselyDeadUs: number } | undefined {
    const j = this.judges.get(node);
    if (j === undefined) return undefined;
    j.heard(nowUs);
    this.suspectedSince.delete(node);
    const since = this.dead.get(node);
    this.dead.delete(node);
    return since !== undefined && running ? { falselyDeadUs: nowUs - since } : undefined;
  }

  /** Starts judging a node that joined the cluster, as heard at `nowUs`. */
  track(node: NodeId, nowUs: number): void {
    if (!this.judges.has(node)) this.judges.set(node, this.judge(nowUs));
  }

  /** Stops judging a node that left the cluster. */
  forget(node: NodeId): void {
    this.judges.delete(node);
    this.suspectedSince.delete(node);
    this.dead.delete(node);
  }

  /** Nodes newly declared dead at `nowUs`, sorted, each with how long it had been silent. */
  check(nowUs: number): { readonly node: NodeId; readonly silentUs: number }[] {
    const out: { node: NodeId; silentUs: number }[] = [];
    for (const [node, j] of this.judges) {
      if (this.dead.has(node)) continue;
      if (!j.suspected(nowUs)) {
        this.suspectedSince.delete(node);
        continue;
      }
      const since = this.suspectedSince.get(node) ?? nowUs;
      this.suspectedSince.set(node, since);
      if (nowUs - since >= j.holdUs) {
        this.dead.set(node, nowUs);
        out.push({ node, silentUs: nowUs - (j.lastHeartbeatUs() ?? nowUs) });
      }
    }
    return out.sort((a, b) => (a.node < b.node ? -1 : 1));
  }

  isLive(node: NodeId): boolean {
    return !this.dead.has(node);
  }
}
