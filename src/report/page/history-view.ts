/**
 * The history view (Jepsen's timeline, Porcupine's visualisation): one row per client, each
 * operation a bar from invocation to completion, ok / fail / info in distinct colours (an info
 * operation stays open to the end, hatched). For a linearizability violation it outlines the
 * culprit and the failing window and draws the longest partial linearization as a line through
 * its operations in order; for a durability violation each lost write is marked where it was
 * acknowledged. Clicking an operation highlights it and its neighbours in that order.
 */
import { OUTCOME_FAIL, OUTCOME_OK, type ReportModel, type ReportOp } from '../report-model.js';
import { fitCanvas } from './canvas.js';
import type { Viewport } from './viewport.js';

const ROW_PX = 22;
const TOP_PX = 6;
const LEFT_PX = 44;

const OUTCOME_COLOURS = ['#2e7d32', '#c62828', '#e0a800'];

export class HistoryView {
  /** Bars drawn by the last draw. */
  bars = 0;
  /** The operation clicked and its neighbours in the longest linearization. */
  highlighted: number[] = [];
  private width = 800;
  private readonly byId = new Map<number, ReportOp>();
  private readonly orderIndex = new Map<number, number>();
  private readonly window: Set<number>;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly model: ReportModel,
    private readonly view: Viewport,
  ) {
    for (const op of model.ops) this.byId.set(op.id, op);
    for (const [i, id] of (model.linearizability?.order ?? []).entries())
      this.orderIndex.set(id, i);
    this.window = new Set(model.linearizability?.window ?? []);
  }

  private x(t: number): number {
    return LEFT_PX + this.view.x(t, this.width - LEFT_PX);
  }

  private rowY(op: ReportOp): number {
    return TOP_PX + (op.lane - this.model.nodeCount) * ROW_PX;
  }

  private end(op: ReportOp): number {
    return op.completeUs < 0 ? this.model.endUs : op.completeUs;
  }

  draw(): void {
    const rows = this.model.lanes.length - this.model.nodeCount;
    const height = TOP_PX + rows * ROW_PX + 8;
    const ctx = fitCanvas(this.canvas, height);
    this.width = this.canvas.width / (window.devicePixelRatio || 1);
    ctx.clearRect(0, 0, this.width, height);
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    ctx.fillStyle = '#566';
    for (let r = 0; r < rows; r++)
      ctx.fillText(this.model.lanes[this.model.nodeCount + r] ?? '', 6, TOP_PX + r * ROW_PX + 9);
    this.bars = 0;
    const { t0, t1 } = this.view;
    ctx.save();
    ctx.beginPath();
    ctx.rect(LEFT_PX, 0, this.width - LEFT_PX, height);
    ctx.clip();
    for (const op of this.model.ops) {
      if (op.invokeUs > t1 || this.end(op) < t0) continue;
      this.bars++;
      this.drawBar(ctx, op);
    }
    this.drawLinearization(ctx);
    this.drawLost(ctx);
    ctx.restore();
  }

  private drawBar(ctx: CanvasRenderingContext2D, op: ReportOp): void {
    const x0 = this.x(op.invokeUs);
    const w = Math.max(1.5, this.x(this.end(op)) - x0);
    const y = this.rowY(op) + 2;
    ctx.fillStyle = OUTCOME_COLOURS[op.outcome] ?? '#999';
    ctx.globalAlpha = op.completeUs < 0 ? 0.45 : 0.85;
    ctx.fillRect(x0, y, w, ROW_PX - 8);
    ctx.globalAlpha = 1;
    const lin = this.model.linearizability;
    const outline =
      this.highlighted[0] === op.id
        ? '#000'
        : this.highlighted.includes(op.id)
          ? '#6a1b9a'
          : lin?.culprit === op.id
            ? '#c62828'
            : this.window.has(op.id)
              ? '#e08a00'
              : undefined;
    if (outline === undefined) return;
    ctx.strokeStyle = outline;
    ctx.lineWidth = 2;
    ctx.strokeRect(x0 - 1, y - 1, w + 2, ROW_PX - 6);
    ctx.lineWidth = 1;
  }

  /** The longest partial linearization: a line through each operation's bar, in its order. */
  private drawLinearization(ctx: CanvasRenderingContext2D): void {
    const order = this.model.linearizability?.order ?? [];
    if (order.length < 2) return;
    ctx.strokeStyle = 'rgba(106,27,154,0.6)';
    ctx.beginPath();
    let started = false;
    for (const id of order) {
      const op = this.byId.get(id);
      if (op === undefined) continue;
      const x = this.x((op.invokeUs + this.end(op)) / 2);
      const y = this.rowY(op) + ROW_PX / 2 - 2;
      if (started) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      started = true;
    }
    ctx.stroke();
  }

  private drawLost(ctx: CanvasRenderingContext2D): void {
    ctx.fillStyle = '#c62828';
    for (const l of this.model.lost) {
      const op = l.opId === undefined ? undefined : this.byId.get(l.opId);
      if (op === undefined) continue;
      const x = this.x(l.ackUs);
      const y = this.rowY(op);
      ctx.beginPath();
      ctx.moveTo(x, y + ROW_PX - 4);
      ctx.lineTo(x - 5, y + ROW_PX + 4);
      ctx.lineTo(x + 5, y + ROW_PX + 4);
      ctx.fill();
    }
  }

  /** The operation under (x, y), if any. */
  hit(x: number, y: number): ReportOp | undefined {
    const row = Math.floor((y - TOP_PX) / ROW_PX);
    const lane = this.model.nodeCount + row;
    let best: ReportOp | undefined;
    for (const op of this.model.ops) {
      if (op.lane !== lane) continue;
      const x0 = this.x(op.invokeUs);
      const x1 = Math.max(x0 + 3, this.x(this.end(op)));
      if (x >= x0 - 2 && x <= x1 + 2) best = op;
    }
    return best;
  }

  /** Highlights `id` and its neighbours in the longest linearization. */
  highlight(id: number | undefined): void {
    if (id === undefined) {
      this.highlighted = [];
      return;
    }
    const order = this.model.linearizability?.order ?? [];
    const i = this.orderIndex.get(id);
    const around = i === undefined ? [] : [order[i - 1], order[i + 1]];
    this.highlighted = [id, ...around.filter((x): x is number => x !== undefined)];
  }

  describe(op: ReportOp): string {
    const outcome =
      op.outcome === OUTCOME_OK ? 'ok' : op.outcome === OUTCOME_FAIL ? 'fail' : 'info';
    const lin = this.model.linearizability;
    const role =
      lin?.culprit === op.id
        ? ' — the culprit'
        : this.orderIndex.has(op.id)
          ? ` — #${(this.orderIndex.get(op.id) as number) + 1} in the longest linearization`
          : '';
    return `op ${op.id} (${outcome}): ${op.text}${role}`;
  }
}
