/**
 * Terminal formatting of results: the one-line verdict per seed, the details of a single run,
 * and the summary table of a sweep. Plain strings in, plain strings out (colors via `c()`).
 */
import { stripVTControlCharacters } from 'node:util';
import { formatDuration } from '../core/time.js';
import type { Metric, Metrics } from '../core/metrics.js';
import type { CheckerDefinition } from '../checkers/checker-definition.js';
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

const metricText = (m: Metric): string =>
  `${m.label} p50 ${formatDuration(m.p50Us)} p99 ${formatDuration(m.p99Us)} max ${formatDuration(m.maxUs)} (n=${m.count})`;

function metricsLines(m: Metrics): string[] {
  return Object.values(m).map(metricText);
}

/**
 * The metric names of many runs in one order: each run reports its own in a fixed order, but
 * may leave some out, so a name first seen later goes right after the name before it there.
 */
function metricNames(all: readonly Metrics[]): string[] {
  const order: string[] = [];
  for (const m of all) {
    let at = 0;
    for (const name of Object.keys(m)) {
      const i = order.indexOf(name);
      if (i >= 0) at = i + 1;
      else order.splice(at++, 0, name);
    }
  }
  return order;
}

/** A single run in detail: each check, the details its checker gives, metrics, what ran. */
export function runDetails(r: RunResult, checkers: readonly CheckerDefinition[]): string[] {
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
  for (const x of r.checks) {
    const checker = checkers.find((d) => d.name === x.checker);
    lines.push(...(checker?.details?.(x) ?? []));
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
  for (const name of metricNames(summaries.map((s) => s.metrics))) {
    const p50s = summaries
      .map((s) => s.metrics[name]?.p50Us)
      .filter((x): x is number => x !== undefined)
      .sort((a, b) => a - b);
    const label = summaries.find((s) => s.metrics[name] !== undefined)?.metrics[name]?.label;
    rows.push([`${label ?? name} (median p50)`, formatDuration(p50s[p50s.length >> 1] as number)]);
  }
  rows.push([
    'wall time',
    `${(wallMs / 1000).toFixed(1)}s (${((summaries.length * 1000) / Math.max(1, wallMs)).toFixed(1)} seeds/s)`,
  ]);
  const plain = (s: string) => stripVTControlCharacters(s);
  const w = Math.max(...rows.map(([a]) => plain(a).length));
  return rows.map(([a, b]) => `  ${a}${' '.repeat(w - plain(a).length)}  ${b}`);
}
