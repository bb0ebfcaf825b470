/**
 * Durability, as Jepsen's set checker states it: after faults heal, every acknowledged write is
 * visible in the final reads, a write that definitely failed is never visible, and a write whose
 * outcome is unknown (`info`) may go either way. Nothing may appear that no one wrote.
 *
 * It reads kv histories whose writes are appends of unique values: the final read of a key then
 * lists every append that survived. Keys also written with `put` are skipped, since a put may
 * legitimately erase earlier appends; keys with no completed final read cannot be judged and
 * make the verdict `unknown` unless something else is already a violation.
 */
import type { History, KvInput, Operation } from '../core/history.js';
import { formatDuration } from '../core/time.js';
import type { CheckResult } from './check-result.js';
import type { CheckerDefinition } from './checker-definition.js';

interface LostWrite {
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
  readonly keysSkipped: readonly string[];
  readonly acknowledged: number;
  readonly lost: readonly LostWrite[];
  readonly failedButVisible: readonly LostWrite[];
  readonly invented: readonly { readonly key: string; readonly value: string }[];
  /** Values that appear more than once in a final read (applied twice, e.g. a duplicated request). */
  readonly duplicated: number;
}

const asWrite = (op: Operation, key: string, value: string): LostWrite => ({
  key,
  value,
  client: op.client,
  node: op.node,
  invokeUs: op.invokeUs,
  completeUs: op.completeUs,
});

export const durabilityChecker: CheckerDefinition = {
  name: 'durability',
  summary:
    'every acknowledged append is in the final read of its key after healing; a failed one never is; an unknown one may be',
  appliesTo: 'kv histories (appends of unique values, final reads)',
  fits: (scope) =>
    scope.workload.name === 'kv' ? undefined : 'it reads kv histories (appends and final reads)',
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
  `append(${w.key}, ${w.value}) by ${w.client}, acknowledged${w.node ? ` by ${w.node}` : ''} at ${formatDuration(w.completeUs ?? 0)}, missing from the final read`;

export function checkDurability(history: History): CheckResult {
  const finalRead = new Map<string, string | null>();
  const appends = new Map<string, Operation[]>();
  const putKeys = new Set<string>();
  const allKeys = new Set<string>();
  for (const op of history) {
    const input = op.input as KvInput;
    allKeys.add(input.key);
    if (op.f === 'get' && op.phase === 'final' && op.outcome === 'ok')
      finalRead.set(input.key, op.output as string | null);
    else if (op.f === 'append') {
      const list = appends.get(input.key) ?? [];
      list.push(op);
      appends.set(input.key, list);
    } else if (op.f === 'put' && op.outcome !== 'fail') putKeys.add(input.key);
  }
  const lost: LostWrite[] = [];
  const failedButVisible: LostWrite[] = [];
  const invented: { key: string; value: string }[] = [];
  const keysUnread: string[] = [];
  const keysSkipped: string[] = [];
  let keysChecked = 0;
  let acknowledged = 0;
  let duplicated = 0;
  for (const key of [...allKeys].sort()) {
    if (putKeys.has(key)) {
      keysSkipped.push(key);
      continue;
    }
    if (!finalRead.has(key)) {
      if ((appends.get(key) ?? []).some((o) => o.outcome === 'ok')) keysUnread.push(key);
      continue;
    }
    keysChecked++;
    const text = finalRead.get(key);
    const seen = text === null || text === undefined || text === '' ? [] : text.split(' ');
    const visible = new Set(seen);
    duplicated += seen.length - visible.size;
    const attempted = new Set<string>();
    for (const op of appends.get(key) ?? []) {
      const value = (op.input as { value: string }).value;
      attempted.add(value);
      if (op.outcome === 'ok') {
        acknowledged++;
        if (!visible.has(value)) lost.push(asWrite(op, key, value));
      } else if (op.outcome === 'fail' && visible.has(value))
        failedButVisible.push(asWrite(op, key, value));
    }
    for (const v of visible) if (!attempted.has(v)) invented.push({ key, value: v });
  }
  const evidence: DurabilityEvidence = {
    keysChecked,
    keysUnread,
    keysSkipped,
    acknowledged,
    lost,
    failedButVisible,
    invented,
    duplicated,
  };
  const problems: string[] = [];
  if (lost.length > 0) {
    const first = lost[0] as LostWrite;
    problems.push(
      `${lost.length} of ${acknowledged} acknowledged writes lost (first: append(${first.key}, ${first.value}) by ${first.client}, acknowledged${first.node ? ` by ${first.node}` : ''} at ${formatDuration(first.completeUs ?? 0)}, missing from the final read)`,
    );
  }
  if (failedButVisible.length > 0)
    problems.push(`${failedButVisible.length} writes reported failed are visible`);
  if (invented.length > 0)
    problems.push(`${invented.length} values in final reads that no client wrote`);
  if (problems.length > 0)
    return { checker: 'durability', verdict: 'violation', summary: problems.join('; '), evidence };
  if (keysUnread.length > 0) {
    return {
      checker: 'durability',
      verdict: 'unknown',
      summary: `${keysUnread.length} keys with acknowledged writes had no completed final read`,
      evidence,
    };
  }
  return {
    checker: 'durability',
    verdict: 'ok',
    summary: `all ${acknowledged} acknowledged writes on ${keysChecked} keys survived`,
    evidence,
  };
}
