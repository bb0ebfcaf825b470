/**
 * Builds what a report page draws from a seed's report folder: the result (verdict, checks and
 * their evidence, faults, metrics), the history (one bar per operation) and the trace, read line
 * by line (one arrow per message copy, a tick per timer, disk operation and mark). The trace is
 * drawn only when its closing line carries the result's trace hash: a trace from another run
 * would draw a story that did not happen, so then the page says so and draws no messages.
 */
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from '../run/run-result.js';
import { EXIT, UserError } from '../runner/exit-codes.js';
import { readNdjson } from './ndjson-lines.js';
import { faultSpans } from './fault-spans.js';
import { findingsOf, linearizabilityOf, lostWritesOf } from './findings.js';
import { markPauseHeld } from './held-messages.js';
import {
  HELD_CLOG,
  HELD_NONE,
  MSG_DELIVERED,
  MSG_DROPPED,
  MSG_IN_FLIGHT,
  type MessageColumns,
  type ReportCounts,
  OUTCOME_FAIL,
  OUTCOME_INFO,
  OUTCOME_OK,
  type ReportModel,
  type ReportOp,
  type StateColumns,
  TICK_FAILED,
  TICK_MARK,
  TICK_SYNC,
  TICK_TIMER,
  TICK_WRITE,
  type TickColumns,
  type TraceStanding,
} from './report-model.js';

/** A message body is kept up to this many characters; the trace file holds the rest. */
const BODY_CHARS_MAX = 400;

/**
 * Bodies take at most this many characters in all; past it a body is only its trace line. Bodies
 * are most of a page's bytes (a replication message carries log entries), and a 100,000-event
 * run's page must stay under 15 MB.
 */
const BODIES_CHARS_MAX = 6_000_000;

/** The closing line is short; this much of a trace's tail always holds it. */
const TAIL_BYTES = 512;

export interface HistoryOp {
  readonly id: number;
  readonly client: string;
  readonly f: string;
  readonly input: unknown;
  readonly output: unknown;
  readonly invokeUs: number;
  readonly completeUs?: number;
  readonly outcome: string;
  readonly error?: string;
}

export interface ReportInputs {
  readonly dir: string;
  readonly result: RunResult;
  readonly replay: string;
  readonly shrink: string;
}

/** Interns strings to small integers, in first-seen order. */
class Interner {
  readonly list: string[] = [];
  private readonly ids = new Map<string, number>();
  id(s: string): number {
    let i = this.ids.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.ids.set(s, i);
      this.list.push(s);
    }
    return i;
  }
}

export function buildReportModel(inputs: ReportInputs): ReportModel {
  const { result, dir } = inputs;
  const history = readHistory(join(dir, 'history.json'));
  const clients = [...new Set(history.map((o) => o.client))].sort(byNumberInName);
  const nodeNames = Object.keys(result.stats.disk).sort(byNumberInName);
  const lanes = [...nodeNames, ...clients];
  const trace = new TraceModel(lanes, result.endUs);
  const standing = trace.read(join(dir, 'trace.ndjson'), result.traceHash);
  const laneOf = new Map(lanes.map((l, i) => [l, i]));
  const ops = history.map((o) => reportOp(o, laneOf.get(o.client) ?? 0));
  const faults = faultSpans(result.faults, laneOf, result.endUs);
  if (standing.ok) markPauseHeld(trace.msgs, faults);
  return {
    version: 1,
    scenario: result.scenario.name,
    seed: result.seed,
    verdict: result.verdict,
    status: result.status,
    endUs: result.endUs,
    events: result.events,
    traceHash: result.traceHash,
    trace: standing,
    replay: inputs.replay,
    shrink: inputs.shrink,
    lanes,
    nodeCount: nodeNames.length,
    labels: trace.labels.list,
    causes: trace.causes.list,
    bodies: trace.bodies,
    msgs: standing.ok ? trace.msgs : emptyMessages(),
    ticks: standing.ok ? trace.ticks : { lane: [], t: [], kind: [], label: [] },
    states: standing.ok ? trace.states : { lane: [], t: [], text: [] },
    stateTexts: standing.ok ? trace.stateTexts.list : [],
    faults,
    ops,
    findings: findingsOf(result.checks, history),
    linearizability: linearizabilityOf(result.checks),
    lost: lostWritesOf(result.checks, history),
    metrics: result.metrics,
    counts: standing.ok ? trace.counts() : NO_COUNTS,
  };
}

function byNumberInName(a: string, b: string): number {
  const d = Number(a.slice(1)) - Number(b.slice(1));
  return d !== 0 ? d : a < b ? -1 : 1;
}

function reportOp(o: HistoryOp, lane: number): ReportOp {
  const outcome =
    o.outcome === 'ok' ? OUTCOME_OK : o.outcome === 'fail' ? OUTCOME_FAIL : OUTCOME_INFO;
  const out =
    o.outcome === 'ok' ? JSON.stringify(o.output ?? null) : `${o.outcome} ${o.error ?? ''}`;
  return {
    id: o.id,
    lane,
    invokeUs: o.invokeUs,
    completeUs: o.completeUs ?? -1,
    outcome,
    text: `${o.client} ${o.f} ${JSON.stringify(o.input)} → ${out}`.slice(0, 300),
  };
}

/** A report folder's history.json (none: an empty history); not ours: exit 65. */
export function readHistory(path: string): HistoryOp[] {
  if (!existsSync(path)) return [];
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new UserError(`${path}:1:1: not JSON (${why})`, EXIT.dataError);
  }
  const ops = (doc as { operations?: unknown } | null)?.operations;
  if (!Array.isArray(ops))
    throw new UserError(`${path}:1:1 operations: expected a faultline history`, EXIT.dataError);
  return ops as HistoryOp[];
}

const NO_COUNTS: ReportCounts = {
  delivered: 0,
  dropped: 0,
  duplicated: 0,
  inFlight: 0,
  heldClog: 0,
  heldPause: 0,
};

/** Columns as the writer builds them, one push per row. */
type Building<T> = { [K in keyof T]: number[] };

function emptyMessages(): Building<MessageColumns> {
  return {
    from: [],
    to: [],
    sendUs: [],
    endUs: [],
    fate: [],
    dup: [],
    label: [],
    cause: [],
    body: [],
    mid: [],
    held: [],
    heldUs: [],
  };
}

const SENDS = new Set(['send', 'reply', 'invoke']);

/** The trace, folded into columns as it streams past. */
class TraceModel {
  readonly labels = new Interner();
  readonly causes = new Interner();
  readonly bodies: string[] = [];
  readonly msgs = emptyMessages();
  readonly ticks: Building<TickColumns> = { lane: [], t: [], kind: [], label: [] };
  readonly states: Building<StateColumns> = { lane: [], t: [], text: [] };
  readonly stateTexts = new Interner();
  /** Message id → its copies still unresolved (indexes into `msgs`). */
  private readonly pending = new Map<number, number[]>();
  private readonly laneOf: Map<string, number>;
  private duplicated = 0;
  private bodyChars = 0;

  constructor(
    lanes: readonly string[],
    private readonly endUs: number,
  ) {
    this.laneOf = new Map(lanes.map((l, i) => [l, i]));
  }

  read(path: string, expectedHash: string): TraceStanding {
    if (!existsSync(path))
      return { ok: false, note: `no trace beside the result (${path}): no messages drawn` };
    const closing = closingHash(path);
    if (closing !== undefined && closing !== expectedHash)
      return mismatch(path, closing, expectedHash);
    let hash: string | undefined;
    let truncated = false;
    readNdjson(path, (l, line) => {
      if (typeof l.t !== 'number' || typeof l.ev !== 'string')
        throw new UserError(
          `${path}:${line}:1: not a faultline trace line (expected "t" and "ev")`,
          EXIT.dataError,
        );
      if (l.ev === 'end') hash = String(l.traceHash);
      else if (l.ev === 'truncated') truncated = true;
      else this.line(l as unknown as TraceLine, path, line);
    });
    for (const copies of this.pending.values())
      for (const i of copies) this.msgs.endUs[i] = this.endUs;
    if (hash === undefined)
      return {
        ok: false,
        note: `${path} has no closing hash line: it cannot be matched to this result, so no messages are drawn`,
      };
    if (hash !== expectedHash) return mismatch(path, hash, expectedHash);
    const cut = truncated
      ? ' (the trace file reached its size limit: later messages are missing)'
      : '';
    return { ok: true, note: `trace hash ${hash} matches the result${cut}` };
  }

  counts(): ReportCounts {
    const c = { ...NO_COUNTS, duplicated: this.duplicated };
    const m = this.msgs;
    for (let i = 0; i < m.fate.length; i++) {
      const f = m.fate[i];
      if (f === MSG_DELIVERED) c.delivered++;
      else if (f === MSG_DROPPED) c.dropped++;
      else c.inFlight++;
      if (m.held[i] === HELD_CLOG) c.heldClog++;
      else if (m.held[i] !== HELD_NONE) c.heldPause++;
    }
    return c;
  }

  private lane(name: unknown, path: string, line: number): number {
    const i = this.laneOf.get(String(name));
    if (i === undefined)
      throw new UserError(
        `${path}:${line}:1: unknown node or client ${String(name)}`,
        EXIT.dataError,
      );
    return i;
  }

  private line(l: TraceLine, path: string, line: number): void {
    if (SENDS.has(l.ev)) return this.send(l, path, line);
    if (l.ev === 'recv' || l.ev === 'request' || l.ev === 'drop') return this.arrive(l);
    if (l.ev === 'state') {
      this.states.lane.push(this.lane(l.node, path, line));
      this.states.t.push(l.t);
      this.states.text.push(this.stateTexts.id(JSON.stringify(l.state ?? null)));
      return;
    }
    const tick = tickOf(l);
    if (tick === undefined) return;
    this.ticks.lane.push(this.lane(l.node, path, line));
    this.ticks.t.push(l.t);
    this.ticks.kind.push(tick.kind);
    this.ticks.label.push(this.labels.id(tick.label));
  }

  private send(l: TraceLine, path: string, line: number): void {
    if (typeof l.mid !== 'number') return; // a trace from before message ids: nothing to link
    const fromName = l.ev === 'invoke' ? l.client : l.node;
    const toName = l.ev === 'send' ? l.to : l.ev === 'reply' ? l.client : l.node;
    const from = this.lane(fromName, path, line);
    const to = this.lane(toName, path, line);
    const label = this.labels.id(messageLabel(l));
    const body = this.bodies.length;
    this.bodies.push(this.body(l, line));
    const copies = typeof l.copies === 'number' ? l.copies : 1;
    if (copies > 1) this.duplicated++;
    const heldUs = typeof l.heldUntil === 'number' ? l.heldUntil : 0;
    const m = this.msgs;
    const push = (fate: number, cause: number) => {
      m.from.push(from);
      m.to.push(to);
      m.sendUs.push(l.t);
      m.endUs.push(fate === MSG_DROPPED ? l.t : this.endUs);
      m.fate.push(fate);
      m.dup.push(copies > 1 ? copies : 0);
      m.label.push(label);
      m.cause.push(cause);
      m.body.push(body);
      m.mid.push(l.mid as number);
      m.held.push(heldUs > 0 ? HELD_CLOG : HELD_NONE);
      m.heldUs.push(heldUs);
      return m.from.length - 1;
    };
    if (copies === 0) {
      push(MSG_DROPPED, this.causes.id(String(l.drop ?? 'lost')));
      return;
    }
    const open: number[] = [];
    for (let k = 0; k < copies; k++) open.push(push(MSG_IN_FLIGHT, -1));
    this.pending.set(l.mid, open);
  }

  private body(l: TraceLine, line: number): string {
    const text = JSON.stringify(l.msg ?? l.op ?? l.outcome ?? null);
    const kept =
      this.bodyChars > BODIES_CHARS_MAX
        ? `(trace.ndjson line ${line})`
        : text.length > BODY_CHARS_MAX
          ? `${text.slice(0, BODY_CHARS_MAX)}… (${text.length} characters: trace.ndjson line ${line})`
          : text;
    this.bodyChars += kept.length;
    return kept;
  }

  private arrive(l: TraceLine): void {
    if (typeof l.mid !== 'number') return;
    const open = this.pending.get(l.mid);
    const i = open?.shift();
    if (open === undefined || i === undefined) return;
    if (open.length === 0) this.pending.delete(l.mid);
    const m = this.msgs;
    m.endUs[i] = l.t;
    if (l.ev === 'drop') {
      m.fate[i] = MSG_DROPPED;
      m.cause[i] = this.causes.id(String(l.cause));
    } else m.fate[i] = MSG_DELIVERED;
  }
}

function mismatch(path: string, hash: string, expected: string): TraceStanding {
  return {
    ok: false,
    note:
      `trace hash mismatch: ${path} ends with ${hash}, the result says ${expected}; ` +
      'the trace belongs to another run, so no messages are drawn',
  };
}

/** The hash on a trace's closing line, read from the file's tail without reading the rest. */
function closingHash(path: string): string | undefined {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const n = Math.min(size, TAIL_BYTES);
    const buf = Buffer.alloc(n);
    readSync(fd, buf, 0, n, size - n);
    const last = buf.toString('utf8').trimEnd().split('\n').pop() ?? '';
    return /^\{"t":\d+,"ev":"end","traceHash":"([0-9a-f]+)"\}$/.exec(last)?.[1];
  } finally {
    closeSync(fd);
  }
}

interface TraceLine {
  readonly t: number;
  readonly ev: string;
  readonly mid?: number;
  readonly node?: string;
  readonly to?: string;
  readonly client?: string;
  readonly copies?: number;
  readonly drop?: string;
  readonly cause?: string;
  readonly msg?: unknown;
  readonly op?: unknown;
  readonly outcome?: unknown;
  readonly state?: unknown;
  readonly heldUntil?: number;
  readonly timer?: string;
  readonly name?: string;
  readonly file?: string;
  readonly ok?: boolean;
}

function messageLabel(l: TraceLine): string {
  if (l.ev === 'invoke') {
    const f = (l.op as { f?: unknown } | null)?.f;
    return `request ${typeof f === 'string' ? f : ''}`.trim();
  }
  if (l.ev === 'reply') {
    const t = (l.outcome as { type?: unknown } | null)?.type;
    return `reply ${typeof t === 'string' ? t : ''}`.trim();
  }
  const t = (l.msg as { type?: unknown } | null)?.type;
  return typeof t === 'string' ? t : 'message';
}

function tickOf(l: TraceLine): { kind: number; label: string } | undefined {
  if (l.ev === 'timer') return { kind: TICK_TIMER, label: `timer ${l.timer ?? ''}` };
  if (l.ev === 'mark') return { kind: TICK_MARK, label: `mark ${l.name ?? ''}` };
  if (l.ev !== 'disk') return undefined;
  const what = `${String(l.op)} ${l.file ?? ''}`.trim();
  if (l.ok === false) return { kind: TICK_FAILED, label: `${what} failed` };
  return { kind: l.op === 'write' ? TICK_WRITE : TICK_SYNC, label: what };
}
