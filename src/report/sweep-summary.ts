/**
 * The sweep summary page (`run --seeds … --html`, `fuzz … --html`): one static, self-contained
 * HTML file beside the failing seeds' folders. It shows how many seeds were valid, invalid and
 * unknown (a bar per verdict), the distribution of each metric across seeds (the spread of each
 * seed's median and worst, as min / median / p90 / max), and a link to every failing seed's
 * report.html. No script: a table and inline bars say it, and it opens anywhere.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { SeedSummary } from '../runner/seed-summary.js';
import { PAGE_CSS } from './page-style.js';

export interface SweepPage {
  readonly scenario: string;
  readonly summaries: readonly SeedSummary[];
  /** result.json paths of the failing seeds that have a report. */
  readonly reports: readonly string[];
  readonly replayOf: (seed: number) => string;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

const ms = (us: number) => `${(us / 1000).toFixed(2)} ms`;

function verdictBars(s: readonly SeedSummary[]): string {
  const colours: Record<string, string> = {
    valid: '#2e7d32',
    invalid: '#c62828',
    unknown: '#e0a800',
  };
  return ['valid', 'invalid', 'unknown']
    .map((v) => {
      const n = s.filter((x) => x.verdict === v).length;
      const w = s.length === 0 ? 0 : Math.round((n / s.length) * 400);
      return `<tr><td>${v}</td><td>${n}</td><td><span class="sw" style="width:${w}px;background:${colours[v]}"></span></td></tr>`;
    })
    .join('');
}

interface MetricSummary {
  readonly label?: string;
  readonly p50Us?: number;
  readonly maxUs?: number;
  readonly unit?: string;
}

function metricRows(s: readonly SeedSummary[]): string {
  const names = [...new Set(s.flatMap((x) => Object.keys(x.metrics)))].sort();
  return names
    .map((name) => {
      const per = s
        .map((x) => x.metrics[name] as MetricSummary | undefined)
        .filter((m): m is MetricSummary => m !== undefined);
      const show = (x: number) => (per[0]?.unit === 'count' ? String(x) : ms(x));
      const col = (f: (m: MetricSummary) => number | undefined) => {
        const xs = per
          .map(f)
          .filter((x): x is number => x !== undefined)
          .sort((a, b) => a - b);
        return xs.length === 0
          ? '<td></td>'
          : `<td>${[0, 0.5, 0.9, 1].map((q) => show(quantile(xs, q))).join(' / ')}</td>`;
      };
      return `<tr><td>${esc(per[0]?.label ?? name)}</td><td>${per.length}</td>${col((m) => m.p50Us)}${col((m) => m.maxUs)}</tr>`;
    })
    .join('');
}

function failingRows(page: SweepPage, at: string): string {
  return page.summaries
    .filter((s) => s.verdict !== 'valid')
    .map((s) => {
      const report = page.reports.find((r) => r.endsWith(join(String(s.seed), 'result.json')));
      const link =
        report === undefined
          ? ''
          : `<a href="${esc(relative(at, join(dirname(report), 'report.html')))}">report.html</a>`;
      const why = s.checks
        .filter((c) => c.verdict !== 'ok')
        .map((c) => `${c.checker}: ${c.summary}`);
      return `<tr><td>${s.seed}</td><td class="v-${s.verdict === 'invalid' ? 'violation' : 'unknown'}">${s.verdict}</td><td>${link}</td><td>${esc(why.join('; ') || (s.error ?? ''))}<br><code>${esc(page.replayOf(s.seed))}</code></td></tr>`;
    })
    .join('');
}

/** Writes the page to `path` (temp name, then renamed); returns the path. */
export function writeSweepSummary(path: string, page: SweepPage): string {
  const s = page.summaries;
  const seeds = s.length === 0 ? 'no seeds' : `seeds ${s[0]?.seed}..${s[s.length - 1]?.seed}`;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>faultline sweep: ${esc(page.scenario)}</title>
<style>${PAGE_CSS} .sw{height:12px}</style></head><body>
<header><h1>${esc(page.scenario)} · ${seeds} · ${s.length} runs</h1></header>
<h2>Verdicts</h2><table id="verdicts">${verdictBars(s)}</table>
<h2>Metrics across seeds</h2>
<table id="metric-spread"><tr><th>metric</th><th>seeds</th><th>each seed's p50: min / median / p90 / max</th><th>each seed's max: min / median / p90 / max</th></tr>${metricRows(s)}</table>
<h2>Failing seeds</h2>
<table id="failing"><tr><th>seed</th><th>verdict</th><th>page</th><th>why, and the replay command</th></tr>${failingRows(page, dirname(path))}</table>
</body></html>
`;
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, html);
  renameSync(tmp, path);
  return path;
}
