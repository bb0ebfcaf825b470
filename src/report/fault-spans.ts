/**
 * The fault log of a result as spans on lanes: a crash or pause from the strike to the restart
 * or resume, a partition from its start to the heal (on every node it separates), a clog for its
 * duration, a clock skew until it is restored. A fault still in force when the run ended lasts
 * to the end; phase changes are spans of no length on no lane (drawn across the whole diagram).
 */
import type { FaultRecord } from '../sim/faults.js';
import type { FaultSpan } from './report-model.js';

const DOWN: Readonly<Record<string, string>> = { restart: 'crash', resume: 'pause' };
const ENDS: Readonly<Record<string, string>> = { ...DOWN, heal: 'partition', unskew: 'skew' };

interface Open {
  readonly kind: string;
  readonly lanes: number[];
  readonly fromUs: number;
  readonly detail: string;
}

export function faultSpans(
  faults: readonly FaultRecord[],
  laneOf: ReadonlyMap<string, number>,
  endUs: number,
): FaultSpan[] {
  const spans: FaultSpan[] = [];
  const open = new Map<string, Open>();
  const nodeLanes = [...laneOf.entries()].filter(([n]) => n.startsWith('n')).map(([, i]) => i);
  const close = (key: string, t: number) => {
    const o = open.get(key);
    if (o === undefined) return;
    open.delete(key);
    spans.push({ ...o, toUs: t });
  };
  for (const f of faults) {
    const data = (f.data ?? {}) as { node?: string; link?: string[]; forUs?: number };
    const lane = data.node !== undefined ? laneOf.get(data.node) : undefined;
    const ended = ENDS[f.action];
    if (f.action === 'phase') {
      spans.push({ kind: 'phase', lanes: [], fromUs: f.t, toUs: f.t, detail: f.detail });
    } else if (ended !== undefined) {
      close(ended === 'partition' ? 'partition' : `${ended}:${data.node}`, f.t);
    } else if (f.action === 'clog') {
      const lanes = (data.link ?? [data.node ?? '']).map((n) => laneOf.get(n) ?? -1);
      const to = f.t + (data.forUs ?? 0);
      spans.push({
        kind: 'clog',
        lanes: lanes.filter((l) => l >= 0),
        fromUs: f.t,
        toUs: to,
        detail: f.detail,
      });
    } else {
      const key = f.action === 'partition' ? 'partition' : `${f.action}:${data.node}`;
      close(key, f.t);
      const lanes = f.action === 'partition' ? nodeLanes : lane === undefined ? [] : [lane];
      open.set(key, { kind: f.action, lanes, fromUs: f.t, detail: f.detail });
    }
  }
  for (const key of [...open.keys()]) close(key, endUs);
  return spans.sort((a, b) => a.fromUs - b.fromUs);
}
