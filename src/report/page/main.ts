/**
 * The report page's entry point: reads the data the writer embedded, lays out the panels and the
 * two views on one shared viewport, and wires zoom, pan, hover and clicks. It exposes what it
 * drew on `window.faultlineReport`, so the browser tests (and anyone in the console) can compare
 * the drawing with the trace, and move the views as a click would.
 */
import type { ReportFinding, ReportModel } from '../report-model.js';
import { attachPanZoom } from './canvas.js';
import { Diagram } from './diagram.js';
import { HistoryView } from './history-view.js';
import {
  el,
  faultTable,
  findingsTable,
  header,
  legend,
  metricsTable,
  traceWarning,
} from './panels.js';
import { timeTravelTable } from './time-travel.js';
import { formatUs, Viewport } from './viewport.js';
import { loadDetails, loadModel } from './load-data.js';
import { FaultTimeline } from './fault-timeline.js';
import { metricCharts } from './metric-charts.js';

interface ReportHandle {
  readonly model: ReportModel;
  drawn: Diagram['drawn'];
  bars: number;
  highlighted: number[];
  view: { t0: number; t1: number };
  lastDrawMs: number;
  /** Milliseconds from navigation to the first full draw, and of that, parsing the data. */
  readyMs: number;
  parseMs: number;
  /** The message bodies and state summaries, inflated after the first draw, are in. */
  detailsLoaded: boolean;
  /** Bars the fault timeline drew, and the metric of each chart (both after the first frame). */
  faultBars: number;
  charts: readonly string[];
  /** The moment the time-travel panel shows. */
  cursorUs: number;
  goToFinding(index: number): void;
  zoom(factor: number, at: number): void;
  pan(fraction: number): void;
  centre(t: number, spanUs: number): void;
}

declare global {
  interface Window {
    faultlineReport: ReportHandle;
  }
}

/** A finding's moment is shown at this share of the run on each side (at least 20 ms). */
const FOCUS_SPAN_US_MIN = 20_000;

async function start(): Promise<void> {
  performance.mark('faultline:script');
  const { model, ms: parseMs } = await loadModel();
  const details: { bodies: readonly string[] | undefined } = { bodies: undefined };
  const app = document.getElementById('app') as HTMLElement;
  const view = new Viewport(model.endUs);
  const diagramCanvas = el('canvas', { id: 'diagram' });
  const historyCanvas = el('canvas', { id: 'history' });
  const detail = el('div', { id: 'detail' }, 'Click an arrow or an operation to see it here.');
  const tip = el('div', { id: 'tip' });
  const diagram = new Diagram(diagramCanvas, model, view);
  const history = new HistoryView(historyCanvas, model, view);
  const handle: ReportHandle = {
    model,
    drawn: diagram.drawn,
    bars: 0,
    highlighted: [],
    view: { t0: 0, t1: model.endUs },
    lastDrawMs: 0,
    readyMs: 0,
    parseMs,
    detailsLoaded: false,
    faultBars: 0,
    charts: [],
    cursorUs: 0,
    goToFinding: (i) => {
      const f = model.findings[i];
      if (f !== undefined) goTo(f);
    },
    zoom: (f, at) => view.zoom(f, at),
    pan: (f) => view.pan(f),
    centre: (t, span) => view.centre(t, span),
  };
  const secondary: { faults: FaultTimeline | undefined } = { faults: undefined };
  const redraw = () => {
    const began = performance.now();
    diagram.draw();
    history.draw();
    secondary.faults?.draw();
    handle.faultBars = secondary.faults?.bars ?? 0;
    handle.drawn = diagram.drawn;
    handle.bars = history.bars;
    handle.highlighted = history.highlighted;
    handle.view = { t0: view.t0, t1: view.t1 };
    handle.lastDrawMs = performance.now() - began;
    diagramCanvas.dataset.t0 = String(view.t0);
    historyCanvas.dataset.t0 = String(view.t0);
    diagramCanvas.dataset.t1 = String(view.t1);
    historyCanvas.dataset.t1 = String(view.t1);
  };
  let travel = timeTravelTable(model, 0);
  const travelTo = (t: number) => {
    const next = timeTravelTable(model, t);
    travel.replaceWith(next);
    travel = next;
    handle.cursorUs = t;
    diagram.cursorUs = t;
  };
  const goTo = (f: ReportFinding) => {
    history.highlight(f.opIds[0]);
    if (f.atUs !== undefined) travelTo(f.atUs);
    if (f.atUs !== undefined) view.centre(f.atUs, Math.max(FOCUS_SPAN_US_MIN, model.endUs / 50));
    else redraw();
    detail.textContent = `${f.checker}: ${f.summary}`;
    diagramCanvas.scrollIntoView({ block: 'nearest' });
  };
  view.onChange(redraw);
  const whole = el('button', { type: 'button', id: 'whole' }, 'whole run');
  whole.addEventListener('click', () => view.whole());
  const children: (HTMLElement | undefined)[] = [
    header(model),
    traceWarning(model),
    el('h2', {}, 'Checks'),
    findingsTable(model.findings, goTo),
    model.linearizability === undefined
      ? undefined
      : el('div', { class: 'warn' }, model.linearizability.sentence),
    el('h2', {}, 'Space-time diagram'),
    legend(model),
    el('div', { class: 'toolbar' }, whole),
    el('div', { class: 'view' }, diagramCanvas),
    el('h2', {}, 'Time travel'),
    travel,
    el('h2', {}, 'History'),
    el('div', { class: 'view' }, historyCanvas),
    detail,
    tip,
  ];
  for (const c of children) if (c !== undefined) app.append(c);
  attachPanZoom(diagramCanvas, view, (x, y) => {
    const i = diagram.hit(x, y);
    if (i === undefined) {
      travelTo(diagram.timeAt(x));
      redraw();
      return;
    }
    const body = details.bodies?.[model.msgs.body[i] as number] ?? '(the bodies are still loading)';
    detail.textContent = `${diagram.describe(i)}\n${body}`;
  });
  attachPanZoom(historyCanvas, view, (x, y) => {
    const op = history.hit(x, y);
    history.highlight(op?.id);
    if (op !== undefined) detail.textContent = history.describe(op);
    redraw();
  });
  diagramCanvas.addEventListener('mousemove', (e) => {
    const r = diagramCanvas.getBoundingClientRect();
    const i = diagram.hit(e.clientX - r.left, e.clientY - r.top);
    tip.style.display = i === undefined ? 'none' : 'block';
    if (i === undefined) return;
    tip.textContent = diagram.describe(i);
    tip.style.left = `${e.clientX + 12}px`;
    tip.style.top = `${e.clientY + 12}px`;
  });
  diagramCanvas.addEventListener('mouseleave', () => {
    tip.style.display = 'none';
  });
  window.addEventListener('resize', redraw);
  window.faultlineReport = handle;
  performance.mark('faultline:built');
  redraw();
  performance.mark('faultline:drawn');
  handle.readyMs = performance.now();
  // The fault schedule and the metrics come after the first frame: the fault table of a long
  // run has thousands of rows, and laying them out first would delay the diagram.
  await nextFrame();
  const faults = new FaultTimeline(el('canvas', { id: 'fault-timeline' }), model, view);
  const charts = metricCharts(model);
  for (const c of [
    el('h2', {}, 'Faults'),
    el('div', { class: 'view' }, faults.canvas),
    faultTable(model, (t) => view.centre(t)),
    el('h2', {}, 'Metrics'),
    charts.element,
    metricsTable(model),
  ])
    tip.before(c);
  secondary.faults = faults;
  attachPanZoom(faults.canvas, view, () => undefined);
  charts.draw();
  handle.charts = charts.names;
  redraw();
  performance.mark('faultline:secondary');
  const loaded = await loadDetails();
  details.bodies = loaded.bodies;
  (model as { stateTexts: readonly string[] }).stateTexts = loaded.stateTexts;
  travelTo(handle.cursorUs);
  handle.detailsLoaded = true;
  performance.mark('faultline:details');
  document.title = `${document.title} · ${formatUs(model.endUs)}`;
}

/** Resolves after the browser has had a chance to paint what is drawn so far. */
function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

void start();
