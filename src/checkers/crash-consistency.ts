/**
 * Crash consistency of a storage engine, as ALICE (Pillai et al., OSDI'14) states what an
 * application must keep across crashes, judged from what clients saw:
 *
 * - durability: every write acknowledged as durable is in the final read of its key (the
 *   durability checker's rules: unique values, a put may erase what came before it);
 * - no resurrection: a value an acknowledged delete removed does not come back (the durability
 *   checker's rule, durability-deletes.ts: the delete was invoked after the write was
 *   acknowledged, so the value is gone whatever came later; research item 25, leveldb#184), and
 *   a value a later acknowledged put replaced does not either (the final read would show the
 *   older put with the newer one lost);
 * - no unreported corruption: no read, during the faults or after, returns a value nobody wrote
 *   to that key, no write reported failed shows up, and a node whose disk image cannot be
 *   recovered says so (the protocol observer's `disk-image-recoverable` property) rather than
 *   serving from it.
 *
 * The scenario's own sync policy sets what "acknowledged" promises. Under `interval` and `none`
 * (protocol option `sync`) a write is acknowledged before its fsync, and a power loss may take
 * it: those losses, and values back because the delete that removed them was lost, are listed
 * and counted as allowed, not as a violation, when they are what a log loses before a crash
 * (crash-consistency-loss.ts judges the lost writes); any other loss is a violation. Under
 * `always`, and for protocols without a sync policy, every acknowledged write must survive.
 */
import type { History, KvInput } from '../core/history.js';
import type { ObservedProperty } from '../core/protocol.js';
import { formatDuration, type Micros } from '../core/time.js';
import type { CheckResult } from './check-result.js';
import type { CheckerDefinition } from './checker-definition.js';
import { lossesNotAllowed } from './crash-consistency-loss.js';
import { lostToRestores, type Restore, type RestoreLoss } from './crash-consistency-restore.js';
import { checkDurability, type DurabilityEvidence } from './durability.js';

/** The observer property a protocol reports an unrecoverable disk image under. */
const RECOVERABLE = 'disk-image-recoverable';

type LostWrite = DurabilityEvidence['lost'][number];
type Resurrection = DurabilityEvidence['resurrected'][number];

interface CrashConsistencyEvidence {
  /** The sync policy that allows losing acknowledged writes, or undefined when none does. */
  readonly lossAllowedBy: string | undefined;
  readonly acknowledged: number;
  readonly survived: number;
  /** Acknowledged writes missing from the final reads. */
  readonly lost: readonly LostWrite[];
  /** Of those, the ones the sync policy does not allow: no crash after them, or a later survivor. */
  readonly notAllowed: readonly LostWrite[];
  /** Values back in the final reads after an acknowledged delete removed them. */
  readonly resurrected: readonly Resurrection[];
  /** Of those, the ones whose lost delete the sync policy does not allow (as `notAllowed`). */
  readonly backNotAllowed: readonly Resurrection[];
  /** Reads that returned a value no client wrote to the key. */
  readonly corruptReads: readonly { readonly key: string; readonly value: string }[];
  readonly failedButVisible: number;
  /** What the protocol said when it could not recover a disk image. */
  readonly unrecoverable: string | undefined;
  /** Each restore from backups, its point and the acknowledged writes it lost (its RPO). */
  readonly restores: readonly RestoreLoss[];
}

export interface CrashConsistencyInput {
  readonly history: History;
  /** The sync policy's name when it lets a power loss take acknowledged writes. */
  readonly lossAllowedBy: string | undefined;
  readonly observed: readonly ObservedProperty[];
  /** When nodes crashed, in order (a lax policy's losses must come before one). */
  readonly crashesUs?: readonly Micros[];
  /** Restores from backups: writes acknowledged after a restore's point may be lost to it. */
  readonly restores?: readonly Restore[];
}

export const crashConsistencyChecker: CheckerDefinition = {
  name: 'crash-consistency',
  summary:
    'acknowledged writes survive crashes (losses the sync policy allows are listed, not ' +
    'violations), nothing overwritten comes back, and no corruption is served unreported',
  appliesTo: 'kv histories of a store with crashes (writes of unique values, final reads)',
  fits: (scope) =>
    scope.workload.name === 'kv' ? undefined : 'it reads kv histories (writes and final reads)',
  byDefault: false,
  check: (run) => [
    checkCrashConsistency({
      history: run.history,
      lossAllowedBy: lossAllowedBy(run.protocolOptions),
      observed: run.observed,
      crashesUs: run.crashesUs ?? [],
      restores: run.restores ?? [],
    }),
  ],
  details: lostLines,
};

/** `none` or `interval` when the protocol's options set such a sync policy. */
function lossAllowedBy(options: unknown): string | undefined {
  const kind = (options as { sync?: { kind?: unknown } } | undefined)?.sync?.kind;
  return kind === 'none' || kind === 'interval' ? kind : undefined;
}

export function checkCrashConsistency(input: CrashConsistencyInput): CheckResult {
  const durability = checkDurability(input.history);
  const d = durability.evidence as DurabilityEvidence;
  const image = input.observed.find((p) => p.name === RECOVERABLE)?.violation;
  const restored = lostToRestores(d.lost, input.restores ?? []);
  const back = lostToRestores(
    d.resurrected.map((r) => ({ r, completeUs: r.deletedAtUs })),
    input.restores ?? [],
  ).rest.map((x) => x.r);
  const evidence: CrashConsistencyEvidence = {
    lossAllowedBy: input.lossAllowedBy,
    acknowledged: d.acknowledged,
    survived: d.survived,
    lost: d.lost,
    notAllowed:
      input.lossAllowedBy === undefined
        ? restored.rest
        : lossesNotAllowed(restored.rest, input.history, input.crashesUs ?? []),
    resurrected: d.resurrected,
    backNotAllowed:
      input.lossAllowedBy === undefined
        ? back
        : lostDeletesNotAllowed(back, input.history, input.crashesUs ?? []),
    corruptReads: corruptReads(input.history),
    failedButVisible: d.failedButVisible.length,
    unrecoverable:
      image === undefined
        ? undefined
        : `${image.node} at ${formatDuration(image.atUs)}: ${image.message}`,
    restores: restored.losses,
  };
  return verdict(evidence, d, durability);
}

/** Every word of every completed read that no write to that key carried. */
function corruptReads(history: History): { key: string; value: string }[] {
  const written = new Map<string, Set<string>>();
  for (const op of history) {
    const i = op.input as KvInput;
    if (i.f === 'get' || i.f === 'delete') continue;
    const vs = written.get(i.key) ?? new Set<string>();
    vs.add(i.value);
    written.set(i.key, vs);
  }
  const bad: { key: string; value: string }[] = [];
  for (const op of history) {
    if (op.f !== 'get' || op.outcome !== 'ok' || typeof op.output !== 'string') continue;
    const { key } = op.input as KvInput;
    for (const w of op.output.split(' ')) {
      if (w !== '' && written.get(key)?.has(w) !== true) bad.push({ key, value: w });
    }
  }
  return bad;
}

function verdict(
  ev: CrashConsistencyEvidence,
  d: DurabilityEvidence,
  durability: CheckResult,
): CheckResult {
  const result = (v: CheckResult['verdict'], summary: string): CheckResult => ({
    checker: 'crash-consistency',
    verdict: v,
    summary,
    evidence: ev,
  });
  const problems = findings(ev);
  if (problems.length > 0) return result('violation', problems.join('; '));
  if (d.keysUnread.length > 0 || ev.acknowledged === 0) {
    return result('unknown', durability.summary);
  }
  const toRestores = ev.restores.reduce((k, r) => k + r.lost, 0);
  const backToRestores = ev.resurrected.length - ev.backNotAllowed.length;
  const byPolicy = ev.lost.length - toRestores;
  const allowed =
    byPolicy > 0
      ? `; ${byPolicy} acknowledged writes lost, allowed by sync policy ${ev.lossAllowedBy}`
      : '';
  const back =
    ev.resurrected.length > backToRestores
      ? `; ${ev.resurrected.length - backToRestores} deleted values back, allowed by sync policy ${ev.lossAllowedBy}`
      : '';
  const erased =
    d.overwritten > 0 ? `; ${d.overwritten} may have been overwritten by a later put` : '';
  return result(
    'ok',
    `${ev.survived} of ${ev.acknowledged} acknowledged writes survived${erased}${allowed}${back}` +
      `${ev.restores.map(restoreText).join('')}; no corruption served unreported`,
  );
}

function findings(ev: CrashConsistencyEvidence): string[] {
  const problems: string[] = [];
  if (ev.unrecoverable !== undefined)
    problems.push(`unrecoverable disk image: ${ev.unrecoverable}`);
  const first = ev.notAllowed[0];
  if (first !== undefined) {
    const policy =
      ev.lossAllowedBy === undefined
        ? ''
        : `, which sync policy ${ev.lossAllowedBy} does not allow (no crash came after them, ` +
          'or a write sent after them survived)';
    const restore = ev.restores[0];
    const vouched =
      restore === undefined
        ? ''
        : `, though the restore of ${restore.node} at ${formatDuration(restore.atUs)} vouched ` +
          `for every write acknowledged by ${formatDuration(restore.pointUs)}`;
    problems.push(
      `${ev.notAllowed.length} of ${ev.acknowledged} acknowledged writes lost${policy} ` +
        `(first: ${first.f}(${first.key}, ${first.value}) at ${formatDuration(first.completeUs ?? 0)})${vouched}`,
    );
  }
  const back = ev.backNotAllowed[0];
  if (back !== undefined) {
    problems.push(
      `${ev.backNotAllowed.length} deleted values resurrected (first: ${back.f}(${back.key}, ` +
        `${back.value}) by ${back.client}, removed by a delete acknowledged at ` +
        `${formatDuration(back.deletedAtUs)}, is in the final read)`,
    );
  }
  const bad = ev.corruptReads[0];
  if (bad !== undefined) {
    problems.push(
      `${ev.corruptReads.length} values read that no client wrote (first: ${bad.value} in ${bad.key})`,
    );
  }
  if (ev.failedButVisible > 0)
    problems.push(`${ev.failedButVisible} writes reported failed are visible`);
  return problems;
}

const SHOWN = 10;

/** A restore's point and measured loss, for the summary. */
function restoreText(r: RestoreLoss): string {
  const head = `; restore of ${r.node} at ${formatDuration(r.atUs)} to its point ${formatDuration(r.pointUs)}`;
  if (r.lostAckedUs === undefined) return `${head} lost no acknowledged write`;
  const [first, last] = r.lostAckedUs;
  return (
    `${head} lost ${r.lost} acknowledged writes (RPO: acknowledged ${formatDuration(first)} to ` +
    `${formatDuration(last)}, ${formatDuration(last - r.pointUs)} after the point)`
  );
}

/** The lost writes, allowed or not, one per line. */
function lostLines(result: CheckResult): string[] {
  const ev = result.evidence as CrashConsistencyEvidence | undefined;
  if (ev === undefined || ev.lost.length === 0) return [];
  const toRestores = ev.restores.reduce((k, r) => k + r.lost, 0);
  const why =
    (ev.lossAllowedBy === undefined
      ? ''
      : `, ${ev.lost.length - ev.notAllowed.length - toRestores} allowed by sync policy ${ev.lossAllowedBy}`) +
    (toRestores === 0 ? '' : `, ${toRestores} acknowledged after a restore's point`);
  const more = ev.lost.length > SHOWN ? `, first ${SHOWN}` : '';
  return [
    `acknowledged writes lost (${ev.lost.length}${more}${why}):`,
    ...ev.lost
      .slice(0, SHOWN)
      .map(
        (w) =>
          `  ${w.f}(${w.key}, ${w.value}) by ${w.client} at ${formatDuration(w.completeUs ?? 0)}`,
      ),
  ];
}

/** Values back because their delete was lost: judged as the delete's loss (log order). */
function lostDeletesNotAllowed(
  back: readonly Resurrection[],
  history: History,
  crashesUs: readonly Micros[],
): Resurrection[] {
  const deletes = back.map((r) => ({
    r,
    key: r.key,
    value: r.value,
    invokeUs: r.deleteSentUs,
    completeUs: r.deletedAtUs,
  }));
  return lossesNotAllowed(deletes, history, crashesUs).map((d) => d.r);
}
