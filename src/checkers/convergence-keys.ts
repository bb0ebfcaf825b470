/**
 * Convergence of a store whose replicas are per key (Dynamo §4.3: a key lives on the N home nodes
 * of its preference list). After the faults heal and repair has had the healed phase to go quiet,
 * every home replica of a key holds the same versions (compared by hash; the first key whose
 * replicas differ is named), and what they hold agrees with the acknowledged puts under the
 * store's resolution:
 *
 * - an acknowledged write survives as a version, or was replaced on purpose: a later write whose
 *   client had read it (its context covers the write's dot, Dynamo §4.4);
 * - under `siblings` nothing else may replace it: concurrent writes are all kept until a client
 *   that read them writes over them, so any other missing write is a lost write (a violation);
 * - under last-writer-wins a concurrent write with a greater timestamp silently replaces it. That
 *   is the resolution doing what the user chose, not a bug, so each such write is counted and
 *   named in the result, shown and not hidden, and not a failure (issue 11: "a loss the user
 *   chose").
 *
 * Fallbacks holding hints are not compared: a hint is a copy on its way home, and a home replica
 * still missing the write shows as a lost or diverged write.
 */
import type { History, Operation } from '../core/history.js';
import type { KeyedReplicaSet, KeyedWrite, KeyReplica } from '../core/replica-set.js';
import { formatDuration, type Micros } from '../core/time.js';
import type { CheckResult } from './check-result.js';
import { opText } from './convergence-history.js';
import { crdtKeyProblem } from './convergence-crdt-keys.js';
import { readOverTest } from './convergence-seen.js';

type FormatOp = (op: Operation) => string;

const result = (verdict: CheckResult['verdict'], summary: string, evidence?: unknown) => ({
  checker: 'convergence',
  verdict,
  summary,
  ...(evidence !== undefined ? { evidence } : {}),
});

/** The first key whose up home replicas hold different versions, said for a person. */
function keyDivergence(replicas: KeyedReplicaSet): string | undefined {
  for (const { key, homes } of replicas.keys) {
    const up = homes.filter((h) => h.up);
    const ref = up[0];
    const other = up.find((h) => h.hash !== ref?.hash);
    if (ref === undefined || other === undefined) continue;
    return `home replicas of ${key} diverged after healing: ${ref.node} holds ${versionsText(ref)}, ${other.node} holds ${versionsText(other)}`;
  }
  return undefined;
}

const versionsText = (r: KeyReplica) =>
  r.versions.length === 0 ? 'nothing' : r.versions.map(([d, v]) => `${d} ${v}`).join(', ');

/** How each acknowledged put fared: kept, replaced on purpose, lost, or overwritten by LWW. */
interface PutFates {
  readonly acknowledged: number;
  readonly kept: number;
  readonly replaced: number;
  /** Gone with no client having read it, under `siblings`; or never given a dot at all. */
  readonly lost: readonly Operation[];
  /** Gone with no client having read it, under last-writer-wins: the user's chosen loss. */
  readonly overwritten: readonly Operation[];
}

function putFates(history: History, replicas: KeyedReplicaSet): PutFates {
  const held = new Map(replicas.keys.map((k) => [k.key, heldDots(k.homes)]));
  const byOp = new Map<number, KeyedWrite[]>();
  for (const w of replicas.writes) byOp.set(w.opId, [...(byOp.get(w.opId) ?? []), w]);
  const lww = replicas.resolution.startsWith('lww');
  const readOver = readOverTest(history, replicas.writes, lww);
  const fates = { acknowledged: 0, kept: 0, replaced: 0 };
  const lost: Operation[] = [];
  const overwritten: Operation[] = [];
  for (const op of history) {
    if (op.f !== 'put' || op.outcome !== 'ok') continue;
    fates.acknowledged++;
    const writes = byOp.get(op.id) ?? [];
    if (writes.some((w) => held.get(w.key)?.has(`${w.dot} ${w.value}`))) fates.kept++;
    else if (writes.some(readOver)) fates.replaced++;
    else if (lww && writes.length > 0) overwritten.push(op);
    else lost.push(op);
  }
  return { ...fates, lost, overwritten };
}

/**
 * The versions the key's up home replicas keep, as `dot value`: a dot a coordinator gave a write
 * it lost in a crash before the write was durable is given again, to another write.
 */
const heldDots = (homes: readonly KeyReplica[]) =>
  new Set(homes.filter((h) => h.up).flatMap((h) => h.versions.map(([d, v]) => `${d} ${v}`)));

export function checkKeyedConvergence(
  history: History,
  replicas: KeyedReplicaSet,
  healedAtUs: Micros,
  formatOp: FormatOp,
): CheckResult {
  const homes = replicas.keys.flatMap((k) => k.homes);
  const down = [...new Set(homes.filter((h) => !h.up).map((h) => h.node))].sort();
  if (replicas.writes.length === 0)
    return result('unknown', 'no client put was given a dot: there was nothing to converge');
  const fates = putFates(history, replicas);
  const evidence = {
    resolution: replicas.resolution,
    keys: replicas.keys.length,
    down,
    overwritten: fates.overwritten.map((op) => opText(op, formatOp)),
  };
  const problem =
    keyDivergence(replicas) ??
    (replicas.resolution === 'crdt'
      ? crdtKeyProblem(history, replicas, formatOp)
      : lostText(fates, formatOp));
  if (problem !== undefined) return result('violation', problem, evidence);
  const up = homes.filter((h) => h.up);
  const convergedAtUs = Math.max(healedAtUs, ...up.map((h) => h.changedAtUs));
  const convergenceUs = convergedAtUs - healedAtUs;
  const summary = agreement(replicas, fates, convergenceUs, formatOp);
  const full = { ...evidence, convergedAtUs, convergenceUs };
  if (down.length > 0)
    return result('unknown', `${down.join(', ')} down when the run ended; ${summary}`, full);
  return result('ok', summary, full);
}

function lostText(fates: PutFates, formatOp: FormatOp): string | undefined {
  const first = fates.lost[0];
  if (first === undefined) return undefined;
  return `${fates.lost.length} of ${fates.acknowledged} acknowledged puts are neither kept by the home replicas nor read over by a later put (first: ${opText(first, formatOp)})`;
}

function agreement(
  replicas: KeyedReplicaSet,
  fates: PutFates,
  convergenceUs: Micros,
  formatOp: FormatOp,
): string {
  if (replicas.resolution === 'crdt')
    return `the home replicas of ${replicas.keys.length} keys converged ${formatDuration(convergenceUs)} after healing to CRDT states that join every acknowledged update of ${replicas.writes.length} given a dot, with values that agree with them`;
  const base = `the home replicas of ${replicas.keys.length} keys converged ${formatDuration(convergenceUs)} after healing; of ${fates.acknowledged} acknowledged puts ${fates.kept} are kept and ${fates.replaced} read over by a later put`;
  const first = fates.overwritten[0];
  if (first === undefined) return base;
  return `${base}; ${fates.overwritten.length} silently overwritten by a concurrent put under ${replicas.resolution}, a loss the resolution chose (first: ${opText(first, formatOp)})`;
}
