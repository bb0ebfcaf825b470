/**
 * What the checks say, in the terms the page draws: each finding with the moment it happened and
 * the operations it names, the linearizability evidence (culprit, failing window, the longest
 * partial linearization in its order, the sentence), and each lost write with the moment it was
 * acknowledged. Evidence is read defensively: a checker's evidence is free-form, and a report of
 * an older run may lack a field.
 */
import type { CheckResult } from '../checkers/check-result.js';
import type { LinearizabilityEvidence, LostWrite, ReportFinding } from './report-model.js';

interface OpRef {
  readonly id?: number;
  readonly call?: number;
  readonly ret?: number;
}

interface LostRef {
  readonly client?: string;
  readonly invokeUs?: number;
  readonly completeUs?: number;
  readonly f?: string;
  readonly key?: string;
  readonly value?: string;
}

interface HistoryRef {
  readonly id: number;
  readonly client: string;
  readonly invokeUs: number;
}

const ids = (xs: unknown): number[] =>
  Array.isArray(xs)
    ? xs.map((x) => (x as OpRef).id).filter((x): x is number => typeof x === 'number')
    : [];

export function linearizabilityOf(
  checks: readonly CheckResult[],
): LinearizabilityEvidence | undefined {
  const c = checks.find((x) => x.checker === 'linearizability' && x.verdict === 'violation');
  const e = c?.evidence as
    | { culprit?: OpRef; window?: unknown; longestLinearization?: unknown; sentence?: string }
    | undefined;
  if (c === undefined || e === undefined) return undefined;
  return {
    culprit: e.culprit?.id,
    window: ids(e.window),
    order: ids(e.longestLinearization),
    sentence: e.sentence ?? c.summary,
  };
}

export function lostWritesOf(
  checks: readonly CheckResult[],
  history: readonly HistoryRef[],
): LostWrite[] {
  const c = checks.find((x) => x.checker === 'durability' && x.verdict === 'violation');
  const lost = (c?.evidence as { lost?: unknown } | undefined)?.lost;
  if (!Array.isArray(lost)) return [];
  return (lost as LostRef[]).map((l) => ({
    opId: history.find((o) => o.client === l.client && o.invokeUs === l.invokeUs)?.id,
    client: l.client ?? '',
    ackUs: l.completeUs ?? 0,
    text: `${l.f ?? 'write'}(${l.key ?? ''}, ${JSON.stringify(l.value ?? '')})`,
  }));
}

export function findingsOf(
  checks: readonly CheckResult[],
  history: readonly HistoryRef[],
): ReportFinding[] {
  return checks.map((c) => {
    const lin = c.checker === 'linearizability' ? linearizabilityOf([c]) : undefined;
    const lost = c.checker === 'durability' ? lostWritesOf([c], history) : [];
    const culprit = (c.evidence as { culprit?: OpRef } | undefined)?.culprit;
    const atUs = culprit?.ret ?? culprit?.call ?? lost[0]?.ackUs ?? firstTime(c.evidence, 0);
    const opIds = lin
      ? [...(lin.culprit === undefined ? [] : [lin.culprit]), ...lin.window]
      : lost.map((l) => l.opId).filter((x): x is number => x !== undefined);
    return { checker: c.checker, verdict: c.verdict, summary: c.summary, atUs, opIds };
  });
}

const TIME_KEYS = ['atUs', 'tUs', 't', 'completeUs', 'invokeUs'];

/** The first time-like field in free-form evidence, a few levels deep. */
function firstTime(e: unknown, depth: number): number | undefined {
  if (depth > 3 || typeof e !== 'object' || e === null) return undefined;
  if (Array.isArray(e)) {
    for (const x of e.slice(0, 20)) {
      const t = firstTime(x, depth + 1);
      if (t !== undefined) return t;
    }
    return undefined;
  }
  const o = e as Record<string, unknown>;
  for (const k of TIME_KEYS) if (typeof o[k] === 'number') return o[k] as number;
  for (const v of Object.values(o)) {
    const t = firstTime(v, depth + 1);
    if (t !== undefined) return t;
  }
  return undefined;
}
