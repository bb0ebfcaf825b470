/**
 * A canvas sized to its container at the screen's pixel density, and the one binary search both
 * views use to find what falls inside the viewport (trace columns are in time order).
 */
export function fitCanvas(canvas: HTMLCanvasElement, heightCss: number): CanvasRenderingContext2D {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.parentElement?.clientWidth ?? 800;
  canvas.style.height = `${heightCss}px`;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(heightCss * ratio);
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}

/** The first index whose value is >= `x`, in a non-decreasing array. */
export function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Wheel zooms, drag pans; `onClick` gets a click that did not drag (CSS pixels). */
export function attachPanZoom(
  canvas: HTMLCanvasElement,
  view: { zoom(f: number, at: number): void; pan(f: number): void },
  onClick: (x: number, y: number) => void,
): void {
  let dragX: number | undefined;
  let moved = 0;
  canvas.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      const r = canvas.getBoundingClientRect();
      view.zoom(e.deltaY > 0 ? 1.25 : 0.8, (e.clientX - r.left) / r.width);
    },
    { passive: false },
  );
  canvas.addEventListener('mousedown', (e) => {
    dragX = e.clientX;
    moved = 0;
  });
  window.addEventListener('mousemove', (e) => {
    if (dragX === undefined) return;
    const dx = e.clientX - dragX;
    moved += Math.abs(dx);
    dragX = e.clientX;
    if (dx !== 0) view.pan(-dx / canvas.getBoundingClientRect().width);
  });
  window.addEventListener('mouseup', (e) => {
    if (dragX !== undefined && moved < 3) {
      const r = canvas.getBoundingClientRect();
      onClick(e.clientX - r.left, e.clientY - r.top);
    }
    dragX = undefined;
  });
}
