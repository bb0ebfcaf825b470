/**
 * Durability, as Jepsen's set checker states it: after faults heal, every acknowledged write is
 * visible in the final reads, a write that definitely failed is never visible, and a write whose
 * outcome is unknown (`info`) may go either way. Nothing may appear that no one wrote.
 *
 * It reads kv histories of unique values: the final read of a key lists, word by word, the put
 * that last replaced the value (always first, since a put replaces it) and every append after
 * it. A put legitimately erases the writes it may have come after, so an acknowledged write
 * missing from the final read is lost only when the put the read shows (if any) had completed
 * before the write began; otherwise it may have been overwritten, and proves nothing. Without a
 * visible put, no put took effect, and every acknowledged write must be there.
 *
 * A check that judged nothing says so: when no acknowledged write could be judged, or a key with
 * acknowledged writes had no completed final read, the verdict is `unknown` (with the reason),
 * never `ok`, unless something else is already a violation.
 */
import type { History, KvInput, Operation } from '../core/history.js';
import { formatDuration } from '../core/time.js';
import type { CheckResult } from './check-result.js';
import type { CheckerDefinition } from './checker-definition.js';
import { finalContext, outsideContext } from './durability-context.js';
import { deleteFates, mayBeDeleted } from './durability-deletes.js';

interface LostWrite {
  readonly f: string;
  readonly key: string;
  readonly value: string;
  readonly client: string;
  readonly node: string | undefined;
  readonly invokeUs: number;
  readonly completeUs: number | undefined;
}

export interface DurabilityEvidence {
  readonly keysChecked: number;
  readonly keysUnread: readonly string[];
  /** Acknowledged writes: those judged (survived or lost) and those a put may have erased. */
  readonly acknowledged: number;
  readonly survived: number;
  readonly overwritten: number;
  readonly lost: readonly LostWrite[];
  readonly failedButVisible: readonly LostWrite[];
  readonly invented: readonly { readonly key: string; readonly value: string }[];
  /** Values shown more than once in a final read (applied twice: a duplicated request). */
  readonly duplicated: number;
  /** Acknowledged writes missing from the final read that a delete may have removed. */
  readonly deleted: number;
  /** Acknowledged puts an acknowledged delete had read, and that stayed gone: judged. */
  readonly stayedDeleted: number;
  /** Acknowledged puts whose vector the final get's context covers: judged, and fine. */
  readonly inContext: number;
  /** Values back in a final read after an acknowledged delete had read and removed them. */
  readonly resurrected: readonly Resurrection[];
  /** Acknowledged kv-context deletes with no readable context: not judged (durability-deletes). */
  readonly deletesUnjudged: readonly UnjudgedDelete[];
}

/** A delete the check could not judge: which key, by whom, when. */
type UnjudgedDelete = Omit<LostWrite, 'f' | 'value'>;

/** A value back after a delete (durability-deletes.ts). */
interface Resurrection extends LostWrite {
  readonly deletedAtUs: number;
  /** When the delete was sent: a store logged it between this and `deletedAtUs`. */
  readonly deleteSentUs: number;
}

/** Who sent an operation, where, and when. */
const sent = (op: Operation) => ({
  client: op.client,
  node: op.node,
  invokeUs: op.invokeUs,
  completeUs: op.completeUs,
});

const asWrite = (op: Operation, key: string, value: string): LostWrite => ({
  f: op.f,
  key,
  value,
  ...sent(op),
});

/** The workloads whose histories it reads: kv, and kv-context (a get's values are its words). */
const KV_WORKLOADS: readonly string[] = ['kv', 'kv-context'];

/** A final read as words: a kv value, or a kv-context get's values (its siblings). */
function readText(output: unknown): string | null {
  if (output === null || typeof output === 'string') return output;
  const values = (output as { readonly values?: readonly string[] } | undefined)?.values;
  return values === undefined || values.length === 0 ? null : values.join(' ');
}

export const durabilityChecker: CheckerDefinition = {
  name: 'durability',
  summary:
    'every acknowledged write is in the final read of its key after healing, unless a put may ' +
    'have overwritten it; a failed one never is; an unknown one may be',
  appliesTo: 'kv histories (writes of unique values, final reads)',
  fits: (scope) =>
    KV_WORKLOADS.includes(scope.workload.name)
      ? undefined
      : 'it reads kv histories (writes and final reads)',
  check: (run) => [checkDurability(run.history)],
  details: lostWriteLines,
};

/** The first lost writes, one per line, for a single run's report. */
function lostWriteLines(result: CheckResult): string[] {
  const ev = result.evidence as DurabilityEvidence | undefined;
  if (result.verdict !== 'violation' || ev === undefined || ev.lost.length === 0) return [];
  const more = ev.lost.length > LOST_SHOWN ? `, first ${LOST_SHOWN}` : '';
  return [
    `lost writes (${ev.lost.length}${more}):`,
    ...ev.lost.slice(0, LOST_SHOWN).map((w) => `  ${lostWriteText(w)}`),
  ];
}

const LOST_SHOWN = 10;

const lostWriteText = (w: LostWrite): string =>
  `${w.f}(${w.key}, ${w.value}) by ${w.client}, acknowledged${w.node ? ` by ${w.node}` : ''} ` +
  `at ${formatDuration(w.completeUs ?? 0)}, missing from the final read`;

/** One key's operations: its writes and deletes in history order, and its final read. */
interface KeyOps {
  readonly writes: Operation[];
  readonly deletes: Operation[];
  read?: string | null;
  /** A kv-context final get's causal context (durability-context.ts). */
  context?: ReadonlyMap<string, number> | undefined;
}

/** Everything the checker found, key by key. */
interface Tally {
  keysChecked: number;
  readonly keysUnread: string[];
  acknowledged: number;
  survived: number;
  overwritten: number;
  readonly lost: LostWrite[];
  readonly failedButVisible: LostWrite[];
  readonly invented: { key: string; value: string }[];
  duplicated: number;
  deleted: number;
  stayedDeleted: number;
  inContext: number;
  readonly resurrected: Resurrection[];
  readonly deletesUnjudged: UnjudgedDelete[];
}

export function checkDurability(history: History): CheckResult {
  const t: Tally = {
    keysChecked: 0,
    keysUnread: [],
    acknowledged: 0,
    survived: 0,
    overwritten: 0,
    lost: [],
    failedButVisible: [],
    invented: [],
    duplicated: 0,
    deleted: 0,
    stayedDeleted: 0,
    inContext: 0,
    resurrected: [],
    deletesUnjudged: [],
  };
  const byKey = groupByKey(history);
  for (const key of [...byKey.keys()].sort()) checkKey(key, byKey.get(key) as KeyOps, t);
  return verdict({ ...t });
}

function groupByKey(history: History): Map<string, KeyOps> {
  const byKey = new Map<string, KeyOps>();
  for (const op of history) {
    const { key } = op.input as KvInput;
    let k = byKey.get(key);
    if (k === undefined) {
      k = { writes: [], deletes: [] };
      byKey.set(key, k);
    }
    if (op.f === 'get') {
      if (op.phase === 'final' && op.outcome === 'ok') {
        k.read = readText(op.output);
        k.context = finalContext(op.output);
      }
    } else if (op.f === 'put' || op.f === 'append') k.writes.push(op);
    else if (op.f === 'delete') k.deletes.push(op);
  }
  return byKey;
}

const writtenValue = (op: Operation): string => (op.input as { value: string }).value;

function checkKey(key: string, k: KeyOps, t: Tally): void {
  if (k.read === undefined) {
    if (k.writes.some((o) => o.outcome === 'ok')) t.keysUnread.push(key);
    return;
  }
  t.keysChecked++;
  const seen = k.read === null || k.read === '' ? [] : k.read.split(' ');
  const visible = new Set(seen);
  t.duplicated += seen.length - visible.size;
  const base = visiblePut(k.writes, visible);
  const attempted = new Set<string>();
  for (const op of k.writes) {
    const value = writtenValue(op);
    attempted.add(value);
    if (op.outcome === 'fail' && visible.has(value))
      t.failedButVisible.push(asWrite(op, key, value));
    if (op.outcome !== 'ok') continue;
    t.acknowledged++;
    const outside = outsideContext(op, k.context, k.deletes);
    if (outside === false) t.inContext++;
    if (visible.has(value)) t.survived++;
    else if (outside === true) t.lost.push(asWrite(op, key, value));
    else if (mayComeBefore(op, base)) t.overwritten++;
    else if (mayBeDeleted(op, k.deletes)) t.deleted++;
    else t.lost.push(asWrite(op, key, value));
  }
  const fates = deleteFates(k.writes, k.deletes, visible);
  t.stayedDeleted += fates.gone;
  for (const d of fates.unjudged) t.deletesUnjudged.push({ key, ...sent(d) });
  for (const r of fates.back)
    t.resurrected.push({
      ...asWrite(r.put, key, writtenValue(r.put)),
      deletedAtUs: r.delete.completeUs ?? 0,
      deleteSentUs: r.delete.invokeUs,
    });
  for (const v of visible) if (!attempted.has(v)) t.invented.push({ key, value: v });
}

/**
 * The put the final read starts from: the last put whose value it shows (a put replaces the
 * value, so it comes first; the last one is the most lenient if a broken store shows several).
 */
function visiblePut(writes: readonly Operation[], visible: ReadonlySet<string>) {
  let base: Operation | undefined;
  for (const op of writes) if (op.f === 'put' && visible.has(writtenValue(op))) base = op;
  return base;
}

/**
 * Whether `op` may have taken effect before `base`, which then erased it: unless `base` had
 * completed before `op` was invoked. Without a visible put nothing erased anything.
 */
function mayComeBefore(op: Operation, base: Operation | undefined): boolean {
  if (base === undefined) return false;
  return base.outcome !== 'ok' || base.completeUs === undefined || base.completeUs >= op.invokeUs;
}

function verdict(evidence: DurabilityEvidence): CheckResult {
  const result = (v: CheckResult['verdict'], summary: string): CheckResult => ({
    checker: 'durability',
    verdict: v,
    summary: summary + unjudgedText(evidence.deletesUnjudged),
    evidence,
  });
  const problems = findings(evidence);
  if (problems.length > 0) return result('violation', problems.join('; '));
  const { keysUnread, acknowledged, survived, overwritten, keysChecked } = evidence;
  if (keysUnread.length > 0)
    return result(
      'unknown',
      `${keysUnread.length} keys with acknowledged writes had no completed final read`,
    );
  if (acknowledged === 0) return result('unknown', 'checked nothing: no write was acknowledged');
  if (survived === 0 && evidence.stayedDeleted === 0 && evidence.inContext === 0)
    return result(
      'unknown',
      `checked nothing: the ${acknowledged} acknowledged writes may all have been overwritten ` +
        `by a put${evidence.deleted > 0 ? ' or removed by a delete' : ''}`,
    );
  const { deleted, stayedDeleted, inContext } = evidence;
  if (survived === 0 && stayedDeleted > 0)
    return result('ok', `all ${stayedDeleted} acknowledged puts a delete had read stayed deleted`);
  if (survived === 0)
    return result(
      'ok',
      `all ${inContext} acknowledged puts on ${keysChecked} keys are in their final get's causal ` +
        `context (${overwritten} may have been overwritten by a put)`,
    );
  const erased = [
    ...(overwritten > 0 ? [`${overwritten} more may have been overwritten by a put`] : []),
    ...(deleted > 0 ? [`${deleted} removed by a delete`] : []),
    ...(stayedDeleted > 0 ? [`${stayedDeleted} read by a delete stayed deleted`] : []),
  ];
  const more = erased.length > 0 ? ` (${erased.join(', ')})` : '';
  return result('ok', `all ${survived} acknowledged writes on ${keysChecked} keys survived${more}`);
}

/** What the check could not judge: deletes whose context it could not read. */
function unjudgedText(deletes: readonly UnjudgedDelete[]): string {
  const first = deletes[0];
  if (first === undefined) return '';
  return (
    `; not judged: ${deletes.length} acknowledged deletes carried no readable causal context, ` +
    `so whether what they removed came back is unknown (first: delete(${first.key}) by ` +
    `${first.client}, acknowledged at ${formatDuration(first.completeUs ?? 0)})`
  );
}

function findings(ev: DurabilityEvidence): string[] {
  const problems: string[] = [];
  const first = ev.lost[0];
  if (first !== undefined)
    problems.push(
      `${ev.lost.length} of ${ev.acknowledged} acknowledged writes lost ` +
        `(first: ${lostWriteText(first)})`,
    );
  if (ev.failedButVisible.length > 0)
    problems.push(`${ev.failedButVisible.length} writes reported failed are visible`);
  const back = ev.resurrected[0];
  if (back !== undefined)
    problems.push(
      `${ev.resurrected.length} deleted values came back (first: ${back.f}(${back.key}, ` +
        `${back.value}) by ${back.client}, removed by a delete acknowledged at ` +
        `${formatDuration(back.deletedAtUs)}, is in the final read)`,
    );
  if (ev.invented.length > 0)
    problems.push(`${ev.invented.length} values in final reads that no client wrote`);
  return problems;
}
