/**
 * The space-time diagram (Lamport's): one lane per node and per client, time flowing right,
 * every message copy an arrow from its send to its receipt. Dropped copies end in a cross at the
 * drop (a copy lost or cut at send is a short stub), duplicated messages are drawn in their own
 * colour, copies still in flight run to the end dashed. A copy a clog held waits as a dotted
 * stretch on its sender's lane until the clog let it go, then flies; a copy that reached a
 * paused node is drawn in the held colour, its head ringed at the resume that delivered it. Faults are bands on the lanes they hit,
 * timers, disk operations and marks are ticks. Canvas, not SVG: a long run has hundreds of
 * thousands of arrows. When more than LOD_ARROWS_MAX copies are in view, arrows are aggregated
 * into per-link counts per time bucket (a thicker stroke for more), so the whole run is always
 * drawn and nothing is cut off at a fixed count.
 */
import {
  HELD_CLOG,
  HELD_NONE,
  MSG_DELIVERED,
  MSG_DROPPED,
  type ReportModel,
  TICK_FAILED,
  TICK_MARK,
  TICK_SYNC,
  TICK_TIMER,
} from '../report-model.js';
import { fitCanvas, lowerBound } from './canvas.js';
import { formatUs, type Viewport } from './viewport.js';

const LANE_PX = 34;
const TOP_PX = 22;
const LEFT_PX = 44;
const LOD_ARROWS_MAX = 4000;
const BUCKET_PX = 6;

export const COLOURS = {
  delivered: '#3b6fb6',
  dropped: '#c62828',
  duplicated: '#e08a00',
  inFlight: '#7a7f8a',
  held: '#8e24aa',
};

const TICK_COLOURS: Record<number, string> = {
  [TICK_TIMER]: '#9aa3b2',
  1: '#2e7d32',
  [TICK_SYNC]: '#1b5e20',
  [TICK_FAILED]: '#c62828',
  [TICK_MARK]: '#7b1fa2',
};

const FAULT_COLOURS: Record<string, string> = {
  crash: 'rgba(60,60,60,0.28)',
  pause: 'rgba(123,31,162,0.18)',
  partition: 'rgba(198,40,40,0.12)',
  clog: 'rgba(224,138,0,0.2)',
  skew: 'rgba(30,120,200,0.14)',
};

/** What the last draw put on screen, counted per message fate (tests compare with the trace). */
export interface DrawnCounts {
  delivered: number;
  dropped: number;
  duplicated: number;
  inFlight: number;
  /** Copies held by a clog, and copies held at a paused receiver. */
  heldClog: number;
  heldPause: number;
  aggregated: boolean;
}

const NOTHING_DRAWN: DrawnCounts = {
  delivered: 0,
  dropped: 0,
  duplicated: 0,
  inFlight: 0,
  heldClog: 0,
  heldPause: 0,
  aggregated: false,
};

export class Diagram {
  drawn: DrawnCounts = { ...NOTHING_DRAWN };
  /** The time-travel moment, drawn as a vertical line. */
  cursorUs: number | undefined;
  /** Copies drawn one by one in the last draw, for hit testing. */
  private shown: number[] = [];
  private readonly maxFlightUs: number;
  private readonly inFlight: number[] = [];
  private width = 800;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly model: ReportModel,
    private readonly view: Viewport,
  ) {
    const m = model.msgs;
    let max = 0;
    for (let i = 0; i < m.fate.length; i++) {
      if (m.fate[i] === MSG_DELIVERED || m.fate[i] === MSG_DROPPED)
        max = Math.max(max, (m.endUs[i] as number) - (m.sendUs[i] as number));
      else this.inFlight.push(i);
    }
    this.maxFlightUs = max;
  }

  laneY(lane: number): number {
    return TOP_PX + lane * LANE_PX + LANE_PX / 2;
  }

  private x(t: number): number {
    return LEFT_PX + this.view.x(t, this.width - LEFT_PX);
  }

  draw(): void {
    const height = TOP_PX + this.model.lanes.length * LANE_PX + 8;
    const ctx = fitCanvas(this.canvas, height);
    this.width = this.canvas.width / (window.devicePixelRatio || 1);
    ctx.clearRect(0, 0, this.width, height);
    this.drawLanes(ctx);
    ctx.save();
    ctx.beginPath();
    ctx.rect(LEFT_PX, 0, this.width - LEFT_PX, height);
    ctx.clip();
    this.drawFaults(ctx);
    this.drawTicks(ctx);
    const visible = this.visibleMessages();
    this.drawn = { ...NOTHING_DRAWN };
    if (visible.length > LOD_ARROWS_MAX) this.drawAggregated(ctx, visible);
    else this.drawArrows(ctx, visible);
    this.drawCursor(ctx, height);
    ctx.restore();
  }

  /** The virtual time at x (CSS pixels). */
  timeAt(x: number): number {
    const { t0, t1 } = this.view;
    return Math.round(t0 + ((x - LEFT_PX) / (this.width - LEFT_PX)) * (t1 - t0));
  }

  private drawCursor(ctx: CanvasRenderingContext2D, height: number): void {
    const t = this.cursorUs;
    if (t === undefined || t < this.view.t0 || t > this.view.t1) return;
    ctx.strokeStyle = '#6a1b9a';
    ctx.beginPath();
    ctx.moveTo(this.x(t), TOP_PX - 4);
    ctx.lineTo(this.x(t), height);
    ctx.stroke();
  }

  /** Copies whose arrow crosses the viewport, in send order. */
  private visibleMessages(): number[] {
    const m = this.model.msgs;
    const { t0, t1 } = this.view;
    const out: number[] = [];
    const from = lowerBound(m.sendUs, t0 - this.maxFlightUs);
    const to = lowerBound(m.sendUs, t1 + 1);
    for (let i = from; i < to; i++) {
      const f = m.fate[i];
      if ((f === MSG_DELIVERED || f === MSG_DROPPED) && (m.endUs[i] as number) >= t0) out.push(i);
    }
    for (const i of this.inFlight) if ((m.sendUs[i] as number) <= t1) out.push(i);
    return out;
  }

  private count(i: number): void {
    const m = this.model.msgs;
    const f = m.fate[i];
    if (f === MSG_DELIVERED) this.drawn.delivered++;
    else if (f === MSG_DROPPED) this.drawn.dropped++;
    else this.drawn.inFlight++;
    const held = m.held[i];
    if (held === HELD_CLOG) this.drawn.heldClog++;
    else if (held !== HELD_NONE) this.drawn.heldPause++;
    // The copies of a message sit side by side; count the message once.
    if ((m.dup[i] as number) > 1 && m.mid[i - 1] !== m.mid[i]) this.drawn.duplicated++;
  }

  private colour(i: number): string {
    const m = this.model.msgs;
    if (m.fate[i] === MSG_DROPPED) return COLOURS.dropped;
    if (m.held[i] !== HELD_NONE) return COLOURS.held;
    if ((m.dup[i] as number) > 1) return COLOURS.duplicated;
    return m.fate[i] === MSG_DELIVERED ? COLOURS.delivered : COLOURS.inFlight;
  }

  private drawArrows(ctx: CanvasRenderingContext2D, visible: number[]): void {
    const m = this.model.msgs;
    this.shown = visible;
    ctx.lineWidth = 1;
    for (const i of visible) {
      this.count(i);
      const y0 = this.laneY(m.from[i] as number);
      const y1 = this.laneY(m.to[i] as number);
      const dropped = m.fate[i] === MSG_DROPPED;
      const x0 = this.departX(i);
      const stub = dropped && m.endUs[i] === m.sendUs[i];
      const x1 = stub ? x0 + 10 : this.x(m.endUs[i] as number);
      const yEnd = stub ? y0 + (y1 - y0) * 0.3 : y1;
      ctx.strokeStyle = this.colour(i);
      this.drawHeld(ctx, i, x0, y0, x1, yEnd);
      ctx.setLineDash(m.fate[i] === MSG_DELIVERED || dropped ? [] : [4, 3]);
      ctx.beginPath();
      ctx.moveTo(x0, y0);
      ctx.lineTo(x1, yEnd);
      ctx.stroke();
      if (dropped) cross(ctx, x1, yEnd);
      else arrowHead(ctx, x0, y0, x1, yEnd);
    }
    ctx.setLineDash([]);
  }

  /** Where a copy's arrow leaves its sender's lane: when a clog let it go, else at its send. */
  private departX(i: number): number {
    const m = this.model.msgs;
    return this.x((m.held[i] === HELD_CLOG ? m.heldUs[i] : m.sendUs[i]) as number);
  }

  /** A clog's wait as a dotted stretch on the sender's lane; a pause's as a ring at the head. */
  private drawHeld(
    ctx: CanvasRenderingContext2D,
    i: number,
    x0: number,
    y0: number,
    x1: number,
    y1: number,
  ): void {
    const m = this.model.msgs;
    if (m.held[i] === HELD_NONE) return;
    ctx.beginPath();
    if (m.held[i] === HELD_CLOG) {
      ctx.setLineDash([1, 2]);
      ctx.moveTo(this.x(m.sendUs[i] as number), y0);
      ctx.lineTo(x0, y0);
    } else ctx.arc(x1, y1, 4, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.setLineDash([]);
  }

  private drawAggregated(ctx: CanvasRenderingContext2D, visible: number[]): void {
    const m = this.model.msgs;
    const lanes = this.model.lanes.length;
    const buckets = Math.max(1, Math.ceil((this.width - LEFT_PX) / BUCKET_PX));
    const total = new Int32Array(lanes * lanes * buckets);
    const dropped = new Int32Array(lanes * lanes * buckets);
    const { t0, t1 } = this.view;
    for (const i of visible) {
      this.count(i);
      const t = Math.min(Math.max(m.sendUs[i] as number, t0), t1);
      const b = Math.min(buckets - 1, Math.floor(((t - t0) / (t1 - t0)) * buckets));
      const k = ((m.from[i] as number) * lanes + (m.to[i] as number)) * buckets + b;
      total[k] = (total[k] as number) + 1;
      if (m.fate[i] === MSG_DROPPED) dropped[k] = (dropped[k] as number) + 1;
    }
    this.drawn.aggregated = true;
    this.shown = [];
    for (let k = 0; k < total.length; k++) {
      const n = total[k] as number;
      if (n === 0) continue;
      const b = k % buckets;
      const link = (k - b) / buckets;
      const from = Math.floor(link / lanes);
      const x = LEFT_PX + b * BUCKET_PX;
      ctx.strokeStyle = (dropped[k] as number) > 0 ? COLOURS.dropped : COLOURS.delivered;
      ctx.globalAlpha = Math.min(1, 0.25 + Math.log2(1 + n) / 6);
      ctx.lineWidth = Math.min(4, 0.5 + Math.log2(1 + n) / 2);
      ctx.beginPath();
      ctx.moveTo(x, this.laneY(from));
      ctx.lineTo(x + BUCKET_PX * 0.8, this.laneY(link % lanes));
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
    ctx.lineWidth = 1;
  }

  private drawLanes(ctx: CanvasRenderingContext2D): void {
    const { lanes, nodeCount } = this.model;
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    lanes.forEach((name, i) => {
      const y = this.laneY(i);
      ctx.fillStyle = i < nodeCount ? '#1d2330' : '#566';
      ctx.fillText(name, 6, y);
      ctx.strokeStyle = i === nodeCount ? '#9aa3b2' : '#e3e6eb';
      ctx.beginPath();
      ctx.moveTo(LEFT_PX, y);
      ctx.lineTo(this.width, y);
      ctx.stroke();
    });
    ctx.fillStyle = '#566';
    ctx.textBaseline = 'top';
    ctx.fillText(formatUs(this.view.t0), LEFT_PX, 4);
    const end = formatUs(this.view.t1);
    ctx.fillText(end, this.width - ctx.measureText(end).width - 4, 4);
  }

  private drawFaults(ctx: CanvasRenderingContext2D): void {
    for (const f of this.model.faults) {
      if (f.toUs < this.view.t0 || f.fromUs > this.view.t1) continue;
      const x0 = this.x(f.fromUs);
      if (f.kind === 'phase') {
        ctx.strokeStyle = '#9aa3b2';
        ctx.setLineDash([2, 3]);
        ctx.beginPath();
        ctx.moveTo(x0, TOP_PX);
        ctx.lineTo(x0, TOP_PX + this.model.lanes.length * LANE_PX);
        ctx.stroke();
        ctx.setLineDash([]);
        continue;
      }
      const w = Math.max(2, this.x(f.toUs) - x0);
      ctx.fillStyle = FAULT_COLOURS[f.kind] ?? 'rgba(0,0,0,0.1)';
      for (const lane of f.lanes)
        ctx.fillRect(x0, this.laneY(lane) - LANE_PX / 2 + 3, w, LANE_PX - 6);
    }
  }

  private drawTicks(ctx: CanvasRenderingContext2D): void {
    const tk = this.model.ticks;
    const { t0, t1 } = this.view;
    const seen = new Set<number>();
    for (let i = lowerBound(tk.t, t0); i < tk.t.length && (tk.t[i] as number) <= t1; i++) {
      const x = Math.round(this.x(tk.t[i] as number));
      const lane = tk.lane[i] as number;
      const key = (lane * 4096 + x) * 8 + (tk.kind[i] as number);
      if (seen.has(key)) continue;
      seen.add(key);
      ctx.fillStyle = TICK_COLOURS[tk.kind[i] as number] ?? '#999';
      const y = this.laneY(lane);
      const k = tk.kind[i] as number;
      ctx.fillRect(x, k === TICK_TIMER || k === TICK_MARK ? y - 9 : y + 3, 1, 6);
    }
  }

  /** The copy drawn nearest (x, y), within a few pixels; undefined when aggregated. */
  hit(x: number, y: number): number | undefined {
    const m = this.model.msgs;
    let best: number | undefined;
    let bestD = 6;
    for (const i of this.shown) {
      const x0 = this.departX(i);
      const stub = m.fate[i] === MSG_DROPPED && m.endUs[i] === m.sendUs[i];
      const x1 = stub ? x0 + 10 : this.x(m.endUs[i] as number);
      const y0 = this.laneY(m.from[i] as number);
      const y1 = this.laneY(m.to[i] as number);
      const d = segmentDistance(x, y, x0, y0, x1, stub ? y0 + (y1 - y0) * 0.3 : y1);
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    return best;
  }

  /** One line about a copy: type, link, times, fate and why. */
  describe(i: number): string {
    const md = this.model;
    const m = md.msgs;
    const fate =
      m.fate[i] === MSG_DELIVERED
        ? `received at ${formatUs(m.endUs[i] as number)}`
        : m.fate[i] === MSG_DROPPED
          ? `dropped at ${formatUs(m.endUs[i] as number)}: ${md.causes[m.cause[i] as number]}`
          : 'still in flight when the run ended';
    const copies = m.dup[i] as number;
    const dup = copies > 1 ? ` (duplicated: one of ${copies} copies)` : '';
    const heldUs = formatUs(m.heldUs[i] as number);
    const held =
      m.held[i] === HELD_NONE
        ? ''
        : m.held[i] === HELD_CLOG
          ? `; held by a clog until ${heldUs}`
          : `; held at its paused receiver until it resumed at ${heldUs}`;
    return (
      `${md.labels[m.label[i] as number]} ${md.lanes[m.from[i] as number]} → ` +
      `${md.lanes[m.to[i] as number]}, sent at ${formatUs(m.sendUs[i] as number)}, ${fate}${dup}` +
      held
    );
  }
}

function arrowHead(ctx: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number) {
  const a = Math.atan2(y1 - y0, x1 - x0);
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - 6 * Math.cos(a - 0.4), y1 - 6 * Math.sin(a - 0.4));
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - 6 * Math.cos(a + 0.4), y1 - 6 * Math.sin(a + 0.4));
  ctx.stroke();
}

function cross(ctx: CanvasRenderingContext2D, x: number, y: number) {
  ctx.beginPath();
  ctx.moveTo(x - 3, y - 3);
  ctx.lineTo(x + 3, y + 3);
  ctx.moveTo(x + 3, y - 3);
  ctx.lineTo(x - 3, y + 3);
  ctx.stroke();
}

function segmentDistance(
  px: number,
  py: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): number {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len = dx * dx + dy * dy;
  const u = len === 0 ? 0 : Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / len));
  return Math.hypot(px - (x0 + u * dx), py - (y0 + u * dy));
}
