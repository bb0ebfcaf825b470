/**
 * `faultline report <result.json> --export perfetto`: the trace as Chrome trace-event JSON, which
 * Perfetto (ui.perfetto.dev) and chrome://tracing open. Each node and client is a track (a
 * thread of one process, named after it); operations are slices on their client's track from
 * invocation to completion; timers, disk operations, marks and drops are instant events on the
 * node's track; every delivered copy of a message is a flow arrow from its send to its receipt
 * (flow id from the trace's message id and the copy); faults are global instant events.
 * Timestamps are virtual microseconds, the unit the format uses. Streamed: one event per line,
 * never the whole trace in memory.
 */
import type { RunResult } from '../../run/run-result.js';
import { readNdjson } from '../ndjson-lines.js';

export type Sink = (chunk: string) => void;

interface Line {
  readonly t: number;
  readonly ev: string;
  readonly node?: string;
  readonly client?: string;
  readonly to?: string;
  readonly mid?: number;
  readonly copies?: number;
  readonly msg?: { readonly type?: unknown };
  readonly op?: unknown;
  readonly outcome?: unknown;
  readonly timer?: string;
  readonly name?: string;
  readonly file?: string;
  readonly ok?: boolean;
  readonly cause?: string;
  readonly action?: string;
  readonly detail?: string;
}

/** Copies of one message the network delivers at most: the message, a duplicate, a replay. */
const COPIES_MAX = 3;

/** Track ids: nodes first (n1 → 1), then clients (c1 → 101…), so tracks sort that way. */
function tid(name: string | undefined): number {
  const n = Number(name?.slice(1) ?? 0);
  return name?.startsWith('c') ? 100 + n : n;
}

export function exportPerfetto(
  tracePath: string,
  result: RunResult,
  history: readonly {
    id: number;
    client: string;
    f: string;
    invokeUs: number;
    completeUs?: number;
    outcome: string;
  }[],
  write: Sink,
): void {
  let first = true;
  const emit = (e: Record<string, unknown>) => {
    write(`${first ? '' : ',\n'}${JSON.stringify({ pid: 1, ...e })}`);
    first = false;
  };
  write('{"displayTimeUnit":"ms","traceEvents":[\n');
  emit({
    ph: 'M',
    name: 'process_name',
    args: { name: `${result.scenario.name} seed ${result.seed}` },
  });
  const tracks = new Set<string>([
    ...Object.keys(result.stats.disk),
    ...history.map((o) => o.client),
  ]);
  for (const t of tracks) emit({ ph: 'M', name: 'thread_name', tid: tid(t), args: { name: t } });
  for (const op of history) {
    const end = op.completeUs ?? result.endUs;
    const name = `${op.f} ${op.outcome}`;
    emit({
      ph: 'X',
      name,
      cat: 'op',
      tid: tid(op.client),
      ts: op.invokeUs,
      dur: Math.max(1, end - op.invokeUs),
      args: { op: op.id },
    });
  }
  // A flow per copy: id = COPIES_MAX × message id + copy. A message sent as several copies
  // hands them to its receipts and drops in turn: which copy is which does not matter, all leave
  // at the same moment.
  const copiesLeft = new Map<number, { next: number; readonly copies: number }>();
  const flowOfReceipt = (mid: number): number => {
    const c = copiesLeft.get(mid);
    if (c === undefined) return COPIES_MAX * mid;
    const k = c.next++;
    if (c.next === c.copies) copiesLeft.delete(mid);
    return COPIES_MAX * mid + k;
  };
  readNdjson(tracePath, (v) => {
    const l = v as unknown as Line;
    const at = (track: string | undefined, name: string, cat: string, args: unknown = {}) =>
      emit({ ph: 'i', s: 't', name, cat, tid: tid(track), ts: l.t, args });
    switch (l.ev) {
      case 'send':
      case 'reply':
      case 'invoke': {
        const from = l.ev === 'invoke' ? l.client : l.node;
        const label = l.ev === 'send' ? String(l.msg?.type ?? 'message') : l.ev;
        emit({ ph: 'X', name: label, cat: 'msg', tid: tid(from), ts: l.t, dur: 1 });
        const copies = l.copies ?? 1;
        if (copies === 0) at(from, `${label} dropped`, 'drop');
        if (copies > 1) copiesLeft.set(l.mid as number, { next: 0, copies });
        for (let k = 0; k < copies; k++)
          emit({
            ph: 's',
            name: label,
            cat: 'msg',
            id: COPIES_MAX * (l.mid as number) + k,
            tid: tid(from),
            ts: l.t,
          });
        return;
      }
      case 'recv':
      case 'request': {
        const to = l.ev === 'recv' && l.client !== undefined ? l.client : l.node;
        emit({ ph: 'X', name: 'receive', cat: 'msg', tid: tid(to), ts: l.t, dur: 1 });
        const id = flowOfReceipt(l.mid as number);
        emit({ ph: 'f', bp: 'e', name: 'receive', cat: 'msg', id, tid: tid(to), ts: l.t });
        return;
      }
      case 'drop':
        flowOfReceipt(l.mid as number);
        return at(l.node, `drop (${l.cause})`, 'drop');
      case 'timer':
        return at(l.node, `timer ${l.timer}`, 'timer');
      case 'disk':
        return at(
          l.node,
          `${String((v as { op?: unknown }).op)} ${l.file ?? ''}${l.ok === false ? ' failed' : ''}`,
          'disk',
        );
      case 'mark':
        return at(l.node, `mark ${l.name}`, 'mark');
      case 'fault':
        emit({ ph: 'i', s: 'g', name: `${l.action}: ${l.detail}`, cat: 'fault', tid: 0, ts: l.t });
        return;
    }
  });
  write('\n]}\n');
}
