/**
 * The page's text panels, built as DOM: the header (verdict, trace standing, the replay and
 * shrink commands with copy buttons), the checker table (a finding's row moves both views to its
 * moment), the fault schedule and the metrics. Text goes in through textContent only, so
 * nothing from a trace or a result is ever read as markup.
 */
import type { ReportFinding, ReportModel } from '../report-model.js';
import { COLOURS } from './diagram.js';
import { formatUs } from './viewport.js';

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

function command(label: string, text: string): HTMLElement {
  const button = el('button', { type: 'button' }, 'copy');
  button.addEventListener('click', () => {
    void navigator.clipboard?.writeText(text);
  });
  return el('div', { class: 'cmd' }, `${label}: `, el('code', {}, text), button);
}

export function header(m: ReportModel): HTMLElement {
  const h = el(
    'header',
    {},
    el(
      'h1',
      {},
      `${m.scenario} · seed ${m.seed} · `,
      el('span', { class: `verdict-${m.verdict}` }, m.verdict),
    ),
    el(
      'div',
      {},
      `${m.events.toLocaleString('en')} events over ${formatUs(m.endUs)} · ended: ${m.status} · ` +
        `trace hash ${m.traceHash}`,
    ),
    command('replay', m.replay),
    command('shrink', m.shrink),
  );
  return h;
}

export function traceWarning(m: ReportModel): HTMLElement | undefined {
  if (m.trace.ok && !m.trace.note.includes('missing')) return undefined;
  return el('div', { class: 'warn', id: 'trace-warning' }, m.trace.note);
}

export function legend(m: ReportModel): HTMLElement {
  const sw = (colour: string, text: string) =>
    el('span', {}, el('span', { class: 'sw', style: `background:${colour}` }), text);
  const c = m.counts;
  return el(
    'div',
    { class: 'toolbar legend' },
    sw(COLOURS.delivered, `delivered ${c.delivered}`),
    sw(COLOURS.dropped, `dropped ${c.dropped}`),
    sw(COLOURS.duplicated, `duplicated ${c.duplicated}`),
    sw(COLOURS.inFlight, `in flight at the end ${c.inFlight}`),
    sw(COLOURS.held, `held by a clog ${c.heldClog} · at a paused node ${c.heldPause}`),
    'wheel: zoom · drag: pan · click an arrow for its body',
  );
}

export function findingsTable(
  findings: readonly ReportFinding[],
  go: (f: ReportFinding) => void,
): HTMLElement {
  const rows = findings.map((f, i) => {
    const when = f.atUs === undefined ? '' : formatUs(f.atUs);
    const tr = el(
      'tr',
      { class: 'finding', 'data-finding': String(i) },
      el('td', {}, f.checker),
      el('td', { class: `v-${f.verdict}` }, f.verdict),
      el('td', {}, when),
      el('td', {}, f.summary),
    );
    tr.addEventListener('click', () => go(f));
    return tr;
  });
  return el(
    'table',
    { id: 'findings' },
    el(
      'tr',
      {},
      el('th', {}, 'checker'),
      el('th', {}, 'verdict'),
      el('th', {}, 'at'),
      el('th', {}, 'what'),
    ),
    ...rows,
  );
}

export function faultTable(m: ReportModel, go: (t: number) => void): HTMLElement {
  const rows = m.faults.map((f) => {
    const tr = el(
      'tr',
      { class: 'finding' },
      el('td', {}, formatUs(f.fromUs)),
      el('td', {}, f.kind === 'phase' ? '' : formatUs(f.toUs)),
      el('td', {}, f.kind),
      el('td', {}, f.detail),
    );
    tr.addEventListener('click', () => go(f.fromUs));
    return tr;
  });
  return el(
    'table',
    { id: 'faults' },
    el(
      'tr',
      {},
      el('th', {}, 'from'),
      el('th', {}, 'to'),
      el('th', {}, 'fault'),
      el('th', {}, 'detail'),
    ),
    ...rows,
  );
}

interface Summary {
  readonly label?: string;
  readonly count?: number;
  readonly p50Us?: number;
  readonly p99Us?: number;
  readonly maxUs?: number;
  readonly unit?: string;
}

export function metricsTable(m: ReportModel): HTMLElement {
  const rows = Object.entries(m.metrics).map(([name, v]) => {
    const s = (v ?? {}) as Summary;
    const us = (x: number | undefined) =>
      x === undefined ? '' : s.unit === 'count' ? String(x) : formatUs(x);
    return el(
      'tr',
      {},
      el('td', {}, s.label ?? name),
      el('td', {}, String(s.count ?? '')),
      el('td', {}, us(s.p50Us)),
      el('td', {}, us(s.p99Us)),
      el('td', {}, us(s.maxUs)),
    );
  });
  return el(
    'table',
    { id: 'metrics' },
    el('tr', {}, ...['metric', 'count', 'p50', 'p99', 'max'].map((h) => el('th', {}, h))),
    ...rows,
  );
}
