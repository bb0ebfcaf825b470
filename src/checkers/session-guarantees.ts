/**
 * Session guarantees, as Terry, Demers, Petersen, Spreitzer, Theimer and Welch define them
 * ("Session Guarantees for Weakly Consistent Replicated Data", PDIS 1994), measured per client:
 * a client runs one operation at a time, so its operations in history order are its session.
 *
 * - read-your-writes: a read covers every write its own session had acknowledged before it.
 * - monotonic reads: a read covers every write an earlier read of its session observed.
 * - monotonic writes: a read that observed a session's write W2 covers that session's earlier
 *   acknowledged writes (the server holds them, ordered before W2).
 * - writes-follow-reads: a read that observed a session's write W2 covers every write that
 *   session's earlier reads observed (W2 follows what its writer had read).
 *
 * "Covers" is the workload's (session-guarantees-views.ts), and the result names the rule used:
 * kv histories assume writes ordered as in real time, register histories use causal contexts,
 * kv-context histories (dynamo) version vectors.
 * Each violation is one read failing one guarantee of one session, with the write it lacked and
 * the operation that obliged it; read-your-writes and monotonic reads count against the reader,
 * the other two against the writer. Writes are compared within a key only.
 *
 * Also counted, and not a session guarantee: stale reads, which miss a write anyone had
 * acknowledged before the read began (real-time freshness, what linearizability adds).
 *
 * A violation makes the verdict `violation`: a scenario that names this checker requires zero.
 * It runs only when named (weakly consistent stores do not promise these guarantees, so it is
 * not a default); `faultline compare` counts the violations whatever a variant names. A history
 * with nothing to hold a read to is `unknown`, never `ok`.
 */
import type { History, Operation } from '../core/history.js';
import { formatDuration } from '../core/time.js';
import type { CheckResult } from './check-result.js';
import type { CheckerDefinition } from './checker-definition.js';
import { type KeyOps, type SessionView, sessionView } from './session-guarantees-views.js';

export const GUARANTEES = [
  'read-your-writes',
  'monotonic-reads',
  'monotonic-writes',
  'writes-follow-reads',
] as const;
export type Guarantee = (typeof GUARANTEES)[number];

type Counts = Record<Guarantee, number>;

interface SessionViolation {
  readonly guarantee: Guarantee;
  /** The session whose guarantee failed. */
  readonly client: string;
  /** The read that lacked the write, the write it lacked, and the op that obliged it. */
  readonly readId: number;
  readonly missingId: number;
  readonly becauseId: number;
  readonly text: string;
}

export interface SessionGuaranteesEvidence {
  readonly rule: string;
  /** Reads held to each guarantee (a read with nothing to be held to is not counted). */
  readonly judged: Counts;
  readonly violations: Counts;
  readonly byClient: Readonly<Record<string, Counts>>;
  readonly staleReads: number;
  readonly readsJudgedForStaleness: number;
  /** The first violations, in history order of their reads. */
  readonly first: readonly SessionViolation[];
}

/** Violations kept with their operations; the counts go on past it. */
const VIOLATIONS_KEPT = 20;

type FormatOp = (op: Operation) => string;

/** The workloads whose reads name the writes they saw (session-guarantees-views.ts). */
const SESSION_WORKLOADS: readonly string[] = ['kv', 'register', 'kv-context'];

export const sessionGuaranteesChecker: CheckerDefinition = {
  name: 'session-guarantees',
  summary:
    'per client: read-your-writes, monotonic reads, monotonic writes, writes-follow-reads ' +
    '(Terry et al. 1994), each counted; runs only when named, and then requires zero',
  appliesTo: 'kv, register and kv-context histories',
  byDefault: false,
  fits: (scope) =>
    SESSION_WORKLOADS.includes(scope.workload.name)
      ? undefined
      : `its reads must name the writes they saw (${SESSION_WORKLOADS.join(', ')}), not ${scope.workload.name}`,
  check: (run) => [checkSessionGuarantees(run.history, run.formatOp)],
  details: (result) =>
    ((result.evidence as SessionGuaranteesEvidence | undefined)?.first ?? [])
      .slice(0, 10)
      .map((v) => v.text),
};

const zero = (): Counts => ({
  'read-your-writes': 0,
  'monotonic-reads': 0,
  'monotonic-writes': 0,
  'writes-follow-reads': 0,
});

/** The tally as the checks go. */
class Tally {
  readonly judged = zero();
  readonly violations = zero();
  readonly byClient = new Map<string, Counts>();
  readonly first: SessionViolation[] = [];
  staleReads = 0;
  readsJudgedForStaleness = 0;

  constructor(private readonly formatOp: FormatOp) {}

  violated(g: Guarantee, client: string, read: Operation, missing: Operation, because: Operation) {
    this.violations[g]++;
    const c = this.byClient.get(client) ?? zero();
    this.byClient.set(client, c);
    c[g]++;
    if (this.first.length >= VIOLATIONS_KEPT) return;
    const f = this.formatOp;
    const why = because === missing ? '' : `, obliged by ${f(because)} by ${because.client}`;
    const text =
      `${g} (${client}): ${f(read)} by ${read.client} at ${formatDuration(read.invokeUs)} ` +
      `returned ${show(read.output)}, ` +
      `without ${f(missing)} by ${missing.client}${why}`;
    this.first.push({
      guarantee: g,
      client,
      readId: read.id,
      missingId: missing.id,
      becauseId: because.id,
      text,
    });
  }
}

/** A read's result on one line: long append lists are cut. */
function show(v: unknown): string {
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function checkSessionGuarantees(history: History, formatOp: FormatOp): CheckResult {
  const of = sessionView(history);
  if (!('view' in of)) return result('unknown', `nothing to judge: ${of.unjudged}`);
  const { view } = of;
  const tally = new Tally(formatOp);
  for (const key of [...view.keys.keys()].sort())
    judgeKey(view, view.keys.get(key) as KeyOps, tally);
  tally.first.sort((a, b) => a.readId - b.readId);
  const byClient = Object.fromEntries(
    [...tally.byClient.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  const evidence: SessionGuaranteesEvidence = {
    rule: view.rule,
    judged: tally.judged,
    violations: tally.violations,
    byClient,
    staleReads: tally.staleReads,
    readsJudgedForStaleness: tally.readsJudgedForStaleness,
    first: tally.first,
  };
  return verdict(evidence);
}

/** One key: every read against each guarantee, in history order. */
function judgeKey(view: SessionView, k: KeyOps, t: Tally): void {
  const s = new SessionState(view, k);
  for (const read of k.reads) {
    judgeRead(view, k, read, s, t);
    s.afterRead(read);
  }
}

/**
 * What each session did on this key: its acknowledged writes; the writes its reads observed so
 * far, each with the read that first observed it; and at each of its writes, what its reads had
 * observed before it.
 */
class SessionState {
  private readonly acked = new Map<string, Operation[]>();
  readonly seen = new Map<string, Map<Operation, Operation>>();
  readonly seenBeforeWrite = new Map<Operation, readonly Operation[]>();

  constructor(
    private readonly view: SessionView,
    k: KeyOps,
  ) {
    const before = new Map<string, Set<Operation>>();
    const reads = new Set(k.reads);
    for (const op of [...k.reads, ...k.writes].sort((a, b) => a.id - b.id)) {
      const mine = before.get(op.client) ?? new Set<Operation>();
      before.set(op.client, mine);
      if (reads.has(op)) for (const w of view.observed(op)) mine.add(w);
      else {
        this.seenBeforeWrite.set(op, [...mine]);
        if (op.outcome === 'ok') this.ackedBy(op.client).push(op);
      }
    }
  }

  ackedBy(client: string): Operation[] {
    const a = this.acked.get(client) ?? [];
    this.acked.set(client, a);
    return a;
  }

  afterRead(read: Operation): void {
    const s = this.seen.get(read.client) ?? new Map<Operation, Operation>();
    this.seen.set(read.client, s);
    for (const w of this.view.observed(read)) if (!s.has(w)) s.set(w, read);
  }
}

function judgeRead(view: SessionView, k: KeyOps, read: Operation, s: SessionState, t: Tally) {
  const lacks = (w: Operation) => !view.covers(read, w);
  // A client runs one operation at a time: its writes before this read had completed.
  const own = s.ackedBy(read.client).filter((w) => w.id < read.id);
  holdTo(t, 'read-your-writes', read.client, read, own, lacks, (w) => w);
  const seen = s.seen.get(read.client) ?? new Map<Operation, Operation>();
  holdTo(t, 'monotonic-reads', read.client, read, [...seen.keys()], lacks, (w) => seen.get(w) ?? w);
  for (const w2 of latestObservedPerSession(view, read)) {
    const earlier = s.ackedBy(w2.client).filter((w) => w.id < w2.id);
    holdTo(t, 'monotonic-writes', w2.client, read, earlier, lacks, () => w2);
    const readBefore = s.seenBeforeWrite.get(w2) ?? [];
    holdTo(t, 'writes-follow-reads', w2.client, read, readBefore, lacks, () => w2);
  }
  staleness(k, read, lacks, t);
}

/** One read held to one guarantee of one session: judged if it owes anything, violated once. */
function holdTo(
  t: Tally,
  g: Guarantee,
  client: string,
  read: Operation,
  owed: readonly Operation[],
  lacks: (w: Operation) => boolean,
  because: (w: Operation) => Operation,
): void {
  if (owed.length === 0) return;
  t.judged[g]++;
  const missing = owed.find(lacks);
  if (missing !== undefined) t.violated(g, client, read, missing, because(missing));
}

/** For each session, the last of its writes the read observed (the most it obliges). */
function latestObservedPerSession(view: SessionView, read: Operation): Operation[] {
  const latest = new Map<string, Operation>();
  for (const w of view.observed(read)) {
    const known = latest.get(w.client);
    if (known === undefined || w.id > known.id) latest.set(w.client, w);
  }
  return [...latest.values()].sort((a, b) => a.id - b.id);
}

/** A read that misses a write acknowledged (by anyone) before it began. */
function staleness(k: KeyOps, read: Operation, lacks: (w: Operation) => boolean, t: Tally) {
  const before = k.writes.filter(
    (w) => w.outcome === 'ok' && w.completeUs !== undefined && w.completeUs < read.invokeUs,
  );
  if (before.length === 0) return;
  t.readsJudgedForStaleness++;
  if (before.some(lacks)) t.staleReads++;
}

const result = (v: CheckResult['verdict'], summary: string, evidence?: unknown): CheckResult => ({
  checker: 'session-guarantees',
  verdict: v,
  summary,
  ...(evidence !== undefined ? { evidence } : {}),
});

const LABELS: Record<Guarantee, string> = {
  'read-your-writes': 'read-your-writes',
  'monotonic-reads': 'monotonic reads',
  'monotonic-writes': 'monotonic writes',
  'writes-follow-reads': 'writes-follow-reads',
};

function verdict(ev: SessionGuaranteesEvidence): CheckResult {
  const judged = GUARANTEES.reduce((n, g) => n + ev.judged[g], 0);
  const stale = `; ${ev.staleReads} of ${ev.readsJudgedForStaleness} reads stale`;
  if (judged === 0)
    return result(
      'unknown',
      'nothing to judge: no read came after a write or a read it could be held to',
      ev,
    );
  const counts = GUARANTEES.map((g) => `${LABELS[g]} ${ev.violations[g]}/${ev.judged[g]}`);
  const first = ev.first[0];
  if (first === undefined) return result('ok', `no violations (${counts.join(', ')})${stale}`, ev);
  return result('violation', `violations: ${counts.join(', ')}${stale} (first: ${first.text})`, ev);
}
