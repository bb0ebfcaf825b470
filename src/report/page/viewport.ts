/**
 * The window of virtual time both views show. The diagram and the history share one viewport,
 * so zooming or panning either moves both, and a finding's "go there" moves both at once.
 */
export type ViewListener = () => void;

/** Never zoom in past this many microseconds across the view. */
const SPAN_US_MIN = 50;

export class Viewport {
  t0 = 0;
  t1: number;
  private readonly listeners: ViewListener[] = [];

  constructor(readonly endUs: number) {
    this.t1 = Math.max(endUs, SPAN_US_MIN);
  }

  onChange(f: ViewListener): void {
    this.listeners.push(f);
  }

  /** Shows [t0, t1], kept inside the run. */
  set(t0: number, t1: number): void {
    const span = Math.min(Math.max(t1 - t0, SPAN_US_MIN), Math.max(this.endUs, SPAN_US_MIN));
    let a = Math.max(0, t0);
    if (a + span > this.endUs) a = Math.max(0, this.endUs - span);
    this.t0 = a;
    this.t1 = a + span;
    for (const f of this.listeners) f();
  }

  whole(): void {
    this.set(0, this.endUs);
  }

  /** Zooms by `factor` (< 1 zooms in) about the time at fraction `at` (0..1) of the width. */
  zoom(factor: number, at: number): void {
    const span = this.t1 - this.t0;
    const pivot = this.t0 + span * at;
    const next = span * factor;
    this.set(pivot - next * at, pivot + next * (1 - at));
  }

  /** Pans by a fraction of the width (positive moves later). */
  pan(fraction: number): void {
    const d = (this.t1 - this.t0) * fraction;
    this.set(this.t0 + d, this.t1 + d);
  }

  /** Centres `t`, at a span of `spanUs` (or the current span). */
  centre(t: number, spanUs = this.t1 - this.t0): void {
    this.set(t - spanUs / 2, t + spanUs / 2);
  }

  x(t: number, width: number): number {
    return ((t - this.t0) / (this.t1 - this.t0)) * width;
  }
}

/** A time for a person: µs, ms or s, as the magnitude wants. */
export function formatUs(t: number): string {
  if (Math.abs(t) >= 1_000_000) return `${(t / 1_000_000).toFixed(3)} s`;
  if (Math.abs(t) >= 1000) return `${(t / 1000).toFixed(2)} ms`;
  return `${Math.round(t)} µs`;
}
