/**
 * The metrics as small charts, one per metric, drawn on canvas by hand. Client latency (each ok
 * operation's latency at its completion, its p50 and p99 as lines) and availability (the share
 * of operations invoked in each slice of the run that succeeded) come from the history; every
 * metric the run's protocol reports (failure detection, failover, replication lag, recovery…)
 * is a summary (count, p50, mean, p99, max), drawn as a strip on a log scale: p50 dark, up to
 * p99 lighter, a whisker to the max, the mean a dot. A few dozen lines of canvas do this: a chart library
 * (uPlot, the smallest fit) would add a dependency and ~50 KB to every page for charts that are
 * a handful of numbers and two series.
 */
import { OUTCOME_OK, type ReportModel } from '../report-model.js';
import { fitCanvas } from './canvas.js';
import { el } from './panels.js';
import { formatUs } from './viewport.js';

const CHART_PX = { width: 300, height: 56 };
const AVAILABILITY_BUCKETS = 60;

interface Summary {
  readonly label?: string;
  readonly count?: number;
  readonly p50Us?: number;
  readonly p99Us?: number;
  readonly maxUs?: number;
  readonly meanUs?: number;
  readonly unit?: string;
}

interface Chart {
  readonly name: string;
  readonly caption: string;
  draw(ctx: CanvasRenderingContext2D, w: number, h: number): void;
}

export interface MetricCharts {
  readonly element: HTMLElement;
  /** The metric each chart shows, in order (tests compare with the result's metrics). */
  readonly names: readonly string[];
  draw(): void;
}

export function metricCharts(model: ReportModel): MetricCharts {
  const charts = [
    latencyChart(model),
    availabilityChart(model),
    ...Object.entries(model.metrics).map(([name, v]) => summaryChart(name, (v ?? {}) as Summary)),
  ];
  const canvases = charts.map((c) =>
    el('canvas', { class: 'metric-chart', 'data-metric': c.name }),
  );
  const element = el(
    'div',
    { id: 'metric-charts' },
    ...charts.map((c, i) =>
      el(
        'div',
        { class: 'chart', style: `width:${CHART_PX.width}px` },
        el('div', { class: 'chart-caption' }, c.caption),
        canvases[i] as HTMLCanvasElement,
      ),
    ),
  );
  const draw = () =>
    charts.forEach((c, i) => {
      const ctx = fitCanvas(canvases[i] as HTMLCanvasElement, CHART_PX.height);
      ctx.clearRect(0, 0, CHART_PX.width, CHART_PX.height);
      c.draw(ctx, CHART_PX.width, CHART_PX.height);
    });
  return { element, names: charts.map((c) => c.name), draw };
}

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

function latencyChart(model: ReportModel): Chart {
  const ok = model.ops.filter((o) => o.outcome === OUTCOME_OK && o.completeUs >= 0);
  const lat = ok.map((o) => o.completeUs - o.invokeUs);
  const sorted = [...lat].sort((a, b) => a - b);
  const p50 = percentile(sorted, 0.5);
  const p99 = percentile(sorted, 0.99);
  const top = Math.max(1, sorted[sorted.length - 1] ?? 1);
  const span = Math.max(1, model.endUs);
  return {
    name: 'latency',
    caption: `client latency: p50 ${formatUs(p50)} · p99 ${formatUs(p99)} · max ${formatUs(top)} (${ok.length} ok)`,
    draw(ctx, w, h) {
      const y = (v: number) => h - 2 - (v / top) * (h - 4);
      ctx.fillStyle = 'rgba(59,111,182,0.5)';
      ok.forEach((o, i) => {
        ctx.fillRect((o.completeUs / span) * w, y(lat[i] as number), 1.5, 1.5);
      });
      for (const [v, colour] of [
        [p50, '#1b5e20'],
        [p99, '#c62828'],
      ] as const) {
        ctx.strokeStyle = colour;
        ctx.beginPath();
        ctx.moveTo(0, y(v));
        ctx.lineTo(w, y(v));
        ctx.stroke();
      }
    },
  };
}

function availabilityChart(model: ReportModel): Chart {
  const total = new Array<number>(AVAILABILITY_BUCKETS).fill(0);
  const good = new Array<number>(AVAILABILITY_BUCKETS).fill(0);
  const span = Math.max(1, model.endUs);
  for (const o of model.ops) {
    const b = Math.min(
      AVAILABILITY_BUCKETS - 1,
      Math.floor((o.invokeUs / span) * AVAILABILITY_BUCKETS),
    );
    total[b] = (total[b] as number) + 1;
    if (o.outcome === OUTCOME_OK) good[b] = (good[b] as number) + 1;
  }
  const okAll = good.reduce((a, b) => a + b, 0);
  const share = model.ops.length === 0 ? 1 : okAll / model.ops.length;
  return {
    name: 'availability',
    caption: `availability: ${(share * 100).toFixed(1)}% of ${model.ops.length} operations ok`,
    draw(ctx, w, h) {
      const bw = w / AVAILABILITY_BUCKETS;
      for (let b = 0; b < AVAILABILITY_BUCKETS; b++) {
        const n = total[b] as number;
        if (n === 0) continue;
        const s = (good[b] as number) / n;
        ctx.fillStyle = '#2e7d32';
        ctx.fillRect(b * bw, h - s * (h - 2), bw - 0.5, s * (h - 2));
        ctx.fillStyle = '#f3c1bd';
        ctx.fillRect(b * bw, 0, bw - 0.5, h - s * (h - 2));
      }
    },
  };
}

function summaryChart(name: string, s: Summary): Chart {
  const max = Math.max(1, s.maxUs ?? 0);
  const us = (v: number | undefined) =>
    v === undefined ? '–' : s.unit === 'count' ? String(v) : formatUs(v);
  return {
    name,
    caption:
      `${s.label ?? name}: p50 ${us(s.p50Us)} · p99 ${us(s.p99Us)} · max ${us(s.maxUs)} ` +
      `(${s.count ?? 0})`,
    draw(ctx, w, h) {
      // A log scale: a lag's max can be a hundred times its p99 (a node down for a while).
      const x = (v: number) => 2 + (Math.log1p(v) / Math.log1p(max)) * (w - 4);
      const mid = h / 2;
      ctx.strokeStyle = '#9aa3b2';
      ctx.beginPath();
      ctx.moveTo(2, h - 4);
      ctx.lineTo(w - 2, h - 4);
      ctx.stroke();
      if ((s.count ?? 0) === 0) return;
      ctx.fillStyle = '#9fbbe0';
      ctx.fillRect(x(0), mid - 8, x(s.p99Us ?? 0) - x(0), 16);
      ctx.fillStyle = '#3b6fb6';
      ctx.fillRect(x(0), mid - 8, x(s.p50Us ?? 0) - x(0), 16);
      ctx.strokeStyle = '#1d2330';
      ctx.beginPath();
      ctx.moveTo(x(s.p99Us ?? 0), mid);
      ctx.lineTo(x(max), mid);
      ctx.moveTo(x(max), mid - 6);
      ctx.lineTo(x(max), mid + 6);
      ctx.stroke();
      if (s.meanUs === undefined) return;
      ctx.fillStyle = '#c62828';
      ctx.beginPath();
      ctx.arc(x(s.meanUs), mid, 3, 0, 2 * Math.PI);
      ctx.fill();
    },
  };
}
