/**
 * Terminal formatting of results: the verdict line per seed (wrapped to the terminal, since its
 * checker sentences run long), the details of a single run (for a linearizability violation the
 * window of operations that cannot be ordered, as `check` prints it; the faults that fired as a
 * schedule), and the summary table of a sweep. Plain strings in, plain strings out (colors via
 * `c()`). Every time is printed by `formatDuration` (`800us`, `12.5ms`, `1.234s`), virtual and
 * wall-clock alike, so one style reads everywhere.
 */
import { stripVTControlCharacters } from 'node:util';
import { formatDuration, US_PER_MS } from '../core/time.js';
import { type Metric, type Metrics, targetMet } from '../core/metrics.js';
import type { CheckerDefinition } from '../checkers/checker-definition.js';
import type { LinEvidence } from '../checkers/linearizability/evidence.js';
import { materializeFaults } from '../fuzz/materialize.js';
import type { RunResult } from '../run/run-result.js';
import type { Scenario } from '../scenario/index.js';
import { c } from './colors.js';
import type { SeedSummary } from '../runner/seed-summary.js';

/** Columns of output: the terminal's, or 100 when piped. */
export function outputWidth(): number {
  return Math.max(60, process.stdout.columns ?? 100);
}

const visible = (s: string): number => stripVTControlCharacters(s).length;

/**
 * A line word-wrapped to `width` columns, each continuation line starting with `indent`. Words
 * are never split (a long quoted value stays whole), so nothing a person copies is cut.
 */
export function wrapLine(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line === '' ? word : `${line} ${word}`;
    if (visible(next) > width && line.trim() !== '' && word !== '') {
      lines.push(line);
      line = `${indent}${word}`;
    } else line = next;
  }
  lines.push(line);
  return lines;
}

export function verdictWord(v: RunResult['verdict']): string {
  const k = c();
  return v === 'valid'
    ? k.green('VALID')
    : v === 'invalid'
      ? k.red.bold('INVALID')
      : k.yellow('UNKNOWN');
}

/** The verdict line of a seed, as one line (wrap it with `wrapLine` for a terminal). */
export function seedLine(s: SeedSummary): string {
  const bad = s.checks.filter((x) => x.verdict !== 'ok');
  const why = bad.length > 0 ? `  ${bad.map((x) => `${x.checker}: ${x.summary}`).join('; ')}` : '';
  return `seed ${s.seed} ${verdictWord(s.verdict)} trace=${s.traceHash}${why}`;
}

/**
 * One measure: its spread, or, seen once, its one value (a count is a per-run total, printed
 * bare; a time seen once keeps its `n=1`, so it does not read as a median).
 */
const metricText = (m: Metric): string => {
  const f = (v: number) => (m.unit === 'count' ? v.toLocaleString('en-US') : formatDuration(v));
  const target =
    m.targetUs === undefined
      ? ''
      : ` (target${m.targetOn === 'p99' ? ' p99' : ''} < ${f(m.targetUs)}: ${targetMet(m) ? 'met' : 'missed'})`;
  if (m.count === 1)
    return `${m.label} ${f(m.p50Us)}${m.unit === 'count' ? '' : ' (n=1)'}${target}`;
  return `${m.label} p50 ${f(m.p50Us)} p99 ${f(m.p99Us)} max ${f(m.maxUs)} (n=${m.count})${target}`;
};

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

/**
 * A single run in detail: each check, the details its checker gives (and the failing window of
 * a linearizability violation), metrics and what ran. `faultSchedule` adds what fired.
 */
export function runDetails(r: RunResult, checkers: readonly CheckerDefinition[]): string[] {
  return [...checkLines(r, checkers), ...linearizabilityWindow(r), ...runLines(r)];
}

function checkLines(r: RunResult, checkers: readonly CheckerDefinition[]): string[] {
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
  return lines;
}

function runLines(r: RunResult): string[] {
  const lines: string[] = [];
  const metrics = metricsLines(r.metrics);
  if (metrics.length > 0) lines.push(`metrics (virtual time): ${metrics.join(' · ')}`);
  const ops = Object.entries(r.stats.ops)
    .map(([key, n]) => `${key} ${n}`)
    .join(', ');
  lines.push(
    `run: ${r.events} events over ${formatDuration(r.endUs)} virtual (${r.status}); ` +
      `ops: ${ops || 'none'}; faults: ${r.faults.filter((f) => f.action !== 'phase').length}`,
  );
  const sides = r.stats.sides;
  if (sides !== undefined) {
    const side = (name: keyof typeof sides) => `${name} ${sides[name].ok}/${sides[name].attempted}`;
    lines.push(
      `placed clients, ok/attempted by side: ${side('connected')} · ${side('majority')} · ${side('minority')}`,
    );
  }
  return lines;
}

/**
 * The window `check` prints for a violation: the culprit and the operations that completed
 * just before it, which cannot be ordered even with everything earlier made unknown.
 */
function linearizabilityWindow(r: RunResult): string[] {
  const x = r.checks.find((k) => k.checker === 'linearizability' && k.verdict === 'violation');
  const ev = x?.evidence as Partial<LinEvidence> | undefined;
  if (ev?.window === undefined || ev.prefix === undefined) return [];
  const n = ev.prefix.length;
  const lines = [
    `linearizability window (key ${ev.partition}; the first ${n} operations to complete ` +
      `cannot be linearized, the first ${n - 1} can):`,
  ];
  for (const o of ev.window) {
    const ret = o.ret === null ? '∞' : formatDuration(o.ret);
    lines.push(`  #${o.id} ${o.client}: ${o.text}  [${formatDuration(o.call)}, ${ret}]`);
  }
  const longest = ev.longestLinearization ?? [];
  const last = longest.at(-1);
  const ending = last ? `, ending with ${last.text}` : '';
  lines.push(`longest linearizable prefix: ${longest.length} operations${ending}`);
  return lines;
}

/** How many fired faults a single run lists; result.json has them all. */
const SCHEDULE_LINES_MAX = 12;

/** The faults that fired, as the schedule that would fire them again (as `shrink` writes it). */
export function faultSchedule(
  r: RunResult,
  scenario: Pick<Scenario, 'nodes' | 'registry'>,
): string[] {
  const { faults, skipped } = materializeFaults(r.faults, scenario.nodes, scenario.registry.faults);
  if (faults.length === 0 && skipped === 0) return ['faults fired: none'];
  const lines = [`faults fired (${faults.length}, as a schedule):`];
  for (const f of faults.slice(0, SCHEDULE_LINES_MAX)) lines.push(`  ${f.text}`);
  if (faults.length > SCHEDULE_LINES_MAX)
    lines.push(`  … and ${faults.length - SCHEDULE_LINES_MAX} more (all in result.json)`);
  if (skipped > 0) lines.push(`  (${skipped} records no fault kind could read back)`);
  return lines;
}

/** Wall-clock time in the same style as virtual time. */
export const wallTime = (ms: number): string => formatDuration(Math.round(ms) * US_PER_MS);

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
    const first = summaries.find((s) => s.metrics[name] !== undefined)?.metrics[name];
    const median = p50s[p50s.length >> 1] as number;
    const shown = first?.unit === 'count' ? median.toLocaleString('en-US') : formatDuration(median);
    rows.push([`${first?.label ?? name} (median p50)`, shown]);
  }
  rows.push([
    'wall time',
    `${wallTime(wallMs)} (${((summaries.length * 1000) / Math.max(1, wallMs)).toFixed(1)} seeds/s)`,
  ]);
  const plain = (s: string) => stripVTControlCharacters(s);
  const w = Math.max(...rows.map(([a]) => plain(a).length));
  return rows.map(([a, b]) => `  ${a}${' '.repeat(w - plain(a).length)}  ${b}`);
}
