/**
 * The data a report page draws, as the writer embeds it in report.html and the page reads it.
 * Columnar (one array per field) because a long run has hundreds of thousands of messages: an
 * object per message would double the file and the page's memory. The columns travel as binary
 * (COLUMN_LAYOUT), the rest as JSON. Times are virtual microseconds. This file holds only types
 * and constants, so the page's bundle can import it.
 */

/** A numeric column: an array as the writer builds it, a typed array as the page reads it. */
export type Column = ArrayLike<number>;

/** How a message copy ended: received, dropped (with a cause), or still in flight at the end. */
export const MSG_DELIVERED = 0;
export const MSG_DROPPED = 1;
export const MSG_IN_FLIGHT = 2;

/** Why a delivered copy arrived late: not held, held by a clog, held at a paused receiver. */
export const HELD_NONE = 0;
export const HELD_CLOG = 1;
export const HELD_PAUSE = 2;

/** Tick kinds on a node's lane. */
export const TICK_TIMER = 0;
export const TICK_WRITE = 1;
export const TICK_SYNC = 2;
export const TICK_FAILED = 3;
export const TICK_MARK = 4;

export const OUTCOME_OK = 0;
export const OUTCOME_FAIL = 1;
export const OUTCOME_INFO = 2;

/**
 * One arrow per message copy: a duplicated or replayed message has two or three, a message
 * dropped at send one.
 */
export interface MessageColumns {
  readonly from: Column;
  readonly to: Column;
  readonly sendUs: Column;
  /** Receipt or drop time; the run's end for a copy in flight. */
  readonly endUs: Column;
  readonly fate: Column;
  /** For each copy of a message delivered more than once, how many copies it has; else 0. */
  readonly dup: Column;
  /** Index into `labels` (message type), and into `causes` for a drop (-1 otherwise). */
  readonly label: Column;
  readonly cause: Column;
  /** Index into `bodies`; copies of one message share it. */
  readonly body: Column;
  /** The message id the trace gives it (`mid`). */
  readonly mid: Column;
  /** HELD_*: a clog held it at its sender, or its receiver was paused when it arrived. */
  readonly held: Column;
  /** When a clog let it go (`heldUntil` on its send line), or its paused receiver resumed. */
  readonly heldUs: Column;
}

export interface TickColumns {
  readonly lane: Column;
  readonly t: Column;
  readonly kind: Column;
  readonly label: Column;
}

/** Each node's state summaries (describeState) as they changed: `text` indexes `stateTexts`. */
export interface StateColumns {
  readonly lane: Column;
  readonly t: Column;
  readonly text: Column;
}

/** A span on lanes: a crash, pause, partition, clog or skew, from its start to its end. */
export interface FaultSpan {
  readonly kind: string;
  readonly lanes: readonly number[];
  readonly fromUs: number;
  readonly toUs: number;
  readonly detail: string;
}

export interface ReportOp {
  readonly id: number;
  readonly lane: number;
  readonly invokeUs: number;
  /** -1 while open (an `info` operation stays open to the end). */
  readonly completeUs: number;
  readonly outcome: number;
  readonly text: string;
}

export interface ReportFinding {
  readonly checker: string;
  readonly verdict: string;
  readonly summary: string;
  /** When it happened, where the evidence says (the culprit's return, a lost write's ack). */
  readonly atUs: number | undefined;
  /** The operations the evidence names. */
  readonly opIds: readonly number[];
}

export interface LinearizabilityEvidence {
  readonly culprit: number | undefined;
  readonly window: readonly number[];
  /** The longest partial linearization, in its order. */
  readonly order: readonly number[];
  readonly sentence: string;
}

export interface LostWrite {
  readonly opId: number | undefined;
  readonly client: string;
  readonly ackUs: number;
  readonly text: string;
}

/** The trace's standing: drawn only when it matches the result it sits beside. */
export interface TraceStanding {
  readonly ok: boolean;
  readonly note: string;
}

export interface ReportModel {
  readonly version: 1;
  readonly scenario: string;
  readonly seed: number;
  readonly verdict: string;
  readonly status: string;
  readonly endUs: number;
  readonly events: number;
  readonly traceHash: string;
  readonly trace: TraceStanding;
  readonly replay: string;
  readonly shrink: string;
  readonly lanes: readonly string[];
  /** Lanes below this index are nodes, the rest clients. */
  readonly nodeCount: number;
  readonly labels: readonly string[];
  readonly causes: readonly string[];
  readonly bodies: readonly string[];
  readonly msgs: MessageColumns;
  readonly ticks: TickColumns;
  readonly states: StateColumns;
  /** JSON of each distinct summary (`null` for a node that is down). */
  readonly stateTexts: readonly string[];
  readonly faults: readonly FaultSpan[];
  readonly ops: readonly ReportOp[];
  readonly findings: readonly ReportFinding[];
  readonly linearizability: LinearizabilityEvidence | undefined;
  readonly lost: readonly LostWrite[];
  readonly metrics: Readonly<Record<string, unknown>>;
  /** What the trace holds, counted by the writer, for the page to draw and tests to compare. */
  readonly counts: ReportCounts;
}

export interface ReportCounts {
  readonly delivered: number;
  readonly dropped: number;
  readonly duplicated: number;
  readonly inFlight: number;
  /** Copies held by a clog, and delivered copies held at a paused receiver. */
  readonly heldClog: number;
  readonly heldPause: number;
}

/**
 * The numeric columns as report.html embeds them: one binary block, the Float64 columns (times,
 * beyond 32 bits in microseconds) first so that every column is aligned, then the Int32 ones,
 * each as long as its table (`rows` in the embedded JSON).
 */
export const COLUMN_LAYOUT = [
  ['msgs', 'sendUs', 'f64'],
  ['msgs', 'endUs', 'f64'],
  ['msgs', 'heldUs', 'f64'],
  ['ticks', 't', 'f64'],
  ['states', 't', 'f64'],
  ['msgs', 'from', 'i32'],
  ['msgs', 'to', 'i32'],
  ['msgs', 'fate', 'i32'],
  ['msgs', 'dup', 'i32'],
  ['msgs', 'label', 'i32'],
  ['msgs', 'cause', 'i32'],
  ['msgs', 'body', 'i32'],
  ['msgs', 'mid', 'i32'],
  ['msgs', 'held', 'i32'],
  ['ticks', 'lane', 'i32'],
  ['ticks', 'kind', 'i32'],
  ['ticks', 'label', 'i32'],
  ['states', 'lane', 'i32'],
  ['states', 'text', 'i32'],
] as const;

export type ColumnTable = (typeof COLUMN_LAYOUT)[number][0];
