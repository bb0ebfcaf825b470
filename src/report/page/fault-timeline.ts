/**
 * The fault schedule as its own timeline: a row per kind of fault the run had (crash, pause,
 * partition, clog, skew), each fault a bar from its strike to its end labelled with the lanes it
 * hit, phase changes as dashed lines, on the same viewport as the diagram and the history (zoom
 * and pan move all three). The diagram shows where a fault lands; this shows the schedule at a
 * glance, overlaps included.
 */
import type { FaultSpan, ReportModel } from '../report-model.js';
import { fitCanvas } from './canvas.js';
import type { Viewport } from './viewport.js';

const ROW_PX = 20;
const TOP_PX = 4;
const LEFT_PX = 44;

const FAULT_KIND_COLOURS: Readonly<Record<string, string>> = {
  crash: '#555b66',
  pause: '#8e24aa',
  partition: '#c62828',
  clog: '#e08a00',
  skew: '#1e78c8',
};

export class FaultTimeline {
  /** Fault bars drawn by the last draw. */
  bars = 0;
  readonly kinds: string[];
  private width = 800;

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly model: ReportModel,
    private readonly view: Viewport,
  ) {
    this.kinds = [...new Set(model.faults.filter((f) => f.kind !== 'phase').map((f) => f.kind))];
  }

  private x(t: number): number {
    return LEFT_PX + this.view.x(t, this.width - LEFT_PX);
  }

  draw(): void {
    const height = TOP_PX * 2 + Math.max(1, this.kinds.length) * ROW_PX;
    const ctx = fitCanvas(this.canvas, height);
    this.width = this.canvas.width / (window.devicePixelRatio || 1);
    ctx.clearRect(0, 0, this.width, height);
    ctx.font = '10px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    this.kinds.forEach((k, row) => {
      ctx.fillStyle = '#566';
      ctx.fillText(k, 2, TOP_PX + row * ROW_PX + ROW_PX / 2, LEFT_PX - 3);
    });
    if (this.kinds.length === 0) {
      ctx.fillText('no faults in this run', LEFT_PX, TOP_PX + ROW_PX / 2);
    }
    ctx.save();
    ctx.beginPath();
    ctx.rect(LEFT_PX, 0, this.width - LEFT_PX, height);
    ctx.clip();
    this.bars = 0;
    for (const f of this.model.faults) this.drawFault(ctx, f, height);
    ctx.restore();
  }

  private drawFault(ctx: CanvasRenderingContext2D, f: FaultSpan, height: number): void {
    if (f.toUs < this.view.t0 || f.fromUs > this.view.t1) return;
    const x0 = this.x(f.fromUs);
    if (f.kind === 'phase') {
      ctx.strokeStyle = '#9aa3b2';
      ctx.setLineDash([2, 3]);
      ctx.beginPath();
      ctx.moveTo(x0, 0);
      ctx.lineTo(x0, height);
      ctx.stroke();
      ctx.setLineDash([]);
      return;
    }
    const row = this.kinds.indexOf(f.kind);
    const w = Math.max(2, this.x(f.toUs) - x0);
    const y = TOP_PX + row * ROW_PX + 3;
    ctx.fillStyle = FAULT_KIND_COLOURS[f.kind] ?? '#999';
    ctx.globalAlpha = 0.75;
    ctx.fillRect(x0, y, w, ROW_PX - 6);
    ctx.globalAlpha = 1;
    this.bars++;
    const lanes = f.lanes.map((l) => this.model.lanes[l] ?? '').join(' ');
    if (w > ctx.measureText(lanes).width + 6) {
      ctx.fillStyle = '#fff';
      ctx.fillText(lanes, x0 + 3, y + (ROW_PX - 6) / 2);
    }
  }
}
