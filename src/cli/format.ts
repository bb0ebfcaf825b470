/**
 * Terminal formatting of results: the one-line verdict per seed, the details of a single run,
 * and the summary table of a sweep. Plain strings in, plain strings out (colors via `c()`).
 */
import { stripVTControlCharacters } from 'node:util';
import { formatDuration } from '../core/time.js';
import type { Summary } from '../sim/metrics.js';
import type { ReplicationMetrics } from '../sim/metrics.js';
import type { DurabilityEvidence } from '../checkers/durability.js';
import type { RunResult } from '../run/run-result.js';
import { c } from './colors.js';
import type { SeedSummary } from '../runner/seed-summary.js';

export function verdictWord(v: RunResult['verdict']): string {
  const k = c();
  return v === 'valid'
    ? k.green('VALID')
    : v === 'invalid'
      ? k.red.bold('INVALID')
      : k.yellow('UNKNOWN');
}

export function seedLine(s: SeedSummary): string {
  const bad = s.checks.filter((x) => x.verdict !== 'ok');
  const why = bad.length > 0 ? `  ${bad.map((x) => `${x.checker}: ${x.summary}`).join('; ')}` : '';
  return `seed ${s.seed} ${verdictWord(s.verdict)} trace=${s.traceHash}${why}`;
}

const fmtSummary = (name: string, s: Summary | undefined): string | undefined =>
  s === undefined
    ? undefined
    : `${name} p50 ${formatDuration(s.p50Us)} p99 ${formatDuration(s.p99Us)} max ${formatDuration(s.maxUs)} (n=${s.count})`;

export function metricsLines(m: ReplicationMetrics): string[] {
  return [
    fmtSummary('failure detection', m.failureDetection),
    fmtSummary('failover', m.failover),
    fmtSummary('replication lag', m.replicationLag),
    fmtSummary('recovery', m.recovery),
  ].filter((x): x is string => x !== undefined);
}

export function runDetails(r: RunResult): string[] {
  const k = c();
  const lines: string[] = [];
  const width = Math.max(...r.checks.map((x) => x.checker.length), 8);
  lines.push('checks:');
  for (const x of r.checks) {
    const v =
      x.verdict === 'ok'
        ? k.green('ok       ')
        : x.verdict === 'violation'
          ? k.red('violation')
          : k.yellow('unknown  ');
    lines.push(`  ${x.checker.padEnd(width)}  ${v}  ${x.summary}`);
  }
  const durability = r.checks.find((x) => x.checker === 'durability' && x.verdict === 'violation');
  const ev = durability?.evidence as DurabilityEvidence | undefined;
  if (ev !== undefined && ev.lost.length > 0) {
    lines.push(`lost writes (${ev.lost.length}${ev.lost.length > 10 ? ', first 10' : ''}):`);
    for (const w of ev.lost.slice(0, 10)) {
      lines.push(
        `  append(${w.key}, ${w.value}) by ${w.client}, acknowledged${w.node ? ` by ${w.node}` : ''} at ${formatDuration(w.completeUs ?? 0)}, missing from the final read`,
      );
    }
  }
  const metrics = metricsLines(r.metrics);
  if (metrics.length > 0) lines.push(`metrics (virtual time): ${metrics.join(' · ')}`);
  const ops = Object.entries(r.stats.ops)
    .map(([key, n]) => `${key} ${n}`)
    .join(', ');
  lines.push(
    `run: ${r.events} events over ${formatDuration(r.endUs)} virtual (${r.status}); ops: ${ops || 'none'}; faults: ${r.faults.filter((f) => f.action !== 'phase').length}`,
  );
  return lines;
}

export function sweepTable(summaries: readonly SeedSummary[], wallMs: number): string[] {
  const k = c();
  const count = (v: string) => summaries.filter((s) => s.verdict === v).length;
  const byChecker = new Map<string, number>();
  for (const s of summaries)
    for (const x of s.checks)
      if (x.verdict === 'violation') byChecker.set(x.checker, (byChecker.get(x.checker) ?? 0) + 1);
  const rows: [string, string][] = [
    ['seeds run', String(summaries.length)],
    [k.green('valid'), String(count('valid'))],
    [k.red('invalid'), String(count('invalid'))],
    [k.yellow('unknown'), String(count('unknown'))],
  ];
  for (const [name, n] of [...byChecker].sort()) rows.push([`  violated: ${name}`, String(n)]);
  const failing = summaries.filter((s) => s.verdict !== 'valid');
  if (failing.length > 0)
    rows.push(['lowest failing seed', String((failing[0] as SeedSummary).seed)]);
  const med = (pick: (m: ReplicationMetrics) => Summary | undefined) => {
    const v = summaries
      .map((s) => pick(s.metrics)?.p50Us)
      .filter((x): x is number => x !== undefined)
      .sort((a, b) => a - b);
    return v.length === 0 ? undefined : formatDuration(v[Math.floor(v.length / 2)] as number);
  };
  const m: [string, string | undefined][] = [
    ['failure detection (median p50)', med((x) => x.failureDetection)],
    ['failover (median p50)', med((x) => x.failover)],
    ['replication lag (median p50)', med((x) => x.replicationLag)],
    ['recovery (median p50)', med((x) => x.recovery)],
  ];
  for (const [name, v] of m) if (v !== undefined) rows.push([name, v]);
  rows.push([
    'wall time',
    `${(wallMs / 1000).toFixed(1)}s (${((summaries.length * 1000) / Math.max(1, wallMs)).toFixed(1)} seeds/s)`,
  ]);
  const plain = (s: string) => stripVTControlCharacters(s);
  const w = Math.max(...rows.map(([a]) => plain(a).length));
  return rows.map(([a, b]) => `  ${a}${' '.repeat(w - plain(a).length)}  ${b}`);
}
