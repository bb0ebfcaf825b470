/**
 * Pairs invocations with completions by process, as Jepsen and Porcupine read their histories: a
 * process has at most one operation in flight, an invocation opens it, the next completion on
 * the same process closes it. The importers decide what each completion means (a known output, a
 * dropped `:fail`, an indeterminate `:info`); this class keeps the bookkeeping and turns the
 * result into `LinOp`s numbered densely in invocation order.
 *
 * Mistakes of pairing (a second invocation while one is open, a completion with nothing open, a
 * completion of a different `:f`) are errors with the line and column of the offending entry.
 */
import type { LinOp } from '../types.js';
import type { ErrorSink, Place } from './parse-result.js';

/** One operation while the history is read. Times are filled in by the importer. */
export interface DraftOp<I, O> {
  readonly client: string;
  readonly f: string;
  /** Undefined when the invocation was malformed: already reported, the operation is dropped. */
  readonly input: I | undefined;
  output: O;
  unknown: boolean;
  /** Did not happen (Jepsen `:fail`), or was malformed: left out of the result. */
  dropped: boolean;
  /** Line-based times (the line number; see the importers for several entries on one line). */
  call: number;
  ret: number;
  /** Times the history itself records (EDN `:time`), used instead when every entry has one. */
  callTime: number | undefined;
  retTime: number | undefined;
  readonly line: number;
}

export class ProcessPairing<I, O> {
  private readonly drafts: DraftOp<I, O>[] = [];
  private readonly open = new Map<string, DraftOp<I, O>>();

  constructor(private readonly sink: ErrorSink) {}

  /** Opens an operation on `client`. `input` undefined: the invocation was malformed (reported). */
  invoke(
    client: string,
    f: string,
    input: I | undefined,
    placeholder: O,
    call: number,
    at: Place,
  ): DraftOp<I, O> {
    const line = at.line;
    const prior = this.open.get(client);
    if (prior !== undefined && prior.f !== '') {
      this.sink.add(
        at.line,
        at.column,
        `process ${client} invokes :${f} while its :${prior.f} from line ${prior.line} is still open (expected a completion first: one operation in flight per process)`,
      );
    }
    const draft: DraftOp<I, O> = {
      client,
      f,
      input,
      output: placeholder,
      unknown: false,
      dropped: input === undefined,
      call,
      ret: Infinity,
      callTime: undefined,
      retTime: undefined,
      line,
    };
    this.drafts.push(draft);
    this.open.set(client, draft);
    return draft;
  }

  /**
   * Takes the operation open on `client` for a completion of `f`, or reports why there is none.
   * The operation is closed either way, so one mistake gives one error. `at` is where the
   * completion is, `fAt` where its function is named.
   */
  complete(
    client: string,
    f: string,
    type: string,
    at: Place,
    fAt: Place,
  ): DraftOp<I, O> | undefined {
    const draft = this.open.get(client);
    if (draft !== undefined && draft.f === '') {
      // A placeholder for a malformed invocation: its completion is no news.
      this.open.delete(client);
      return undefined;
    }
    if (draft === undefined) {
      this.sink.add(
        at.line,
        at.column,
        `:${type} for process ${client}, which has no operation open (expected an :invoke on that process first)`,
      );
      return undefined;
    }
    this.open.delete(client);
    if (draft.f !== f) {
      this.sink.add(
        fAt.line,
        fAt.column,
        `expected :f :${draft.f} to complete the invocation of process ${client} on line ${draft.line}, found :${f}`,
      );
      draft.dropped = true;
      return undefined;
    }
    return draft.input === undefined ? undefined : draft;
  }

  /** A malformed invocation (already reported) that a later completion may close without a second error. */
  placeholder(client: string, line: number): void {
    // Never reaches the result (input undefined, dropped), so its output is never read.
    this.open.set(client, {
      client,
      f: '',
      input: undefined,
      output: undefined as O,
      unknown: false,
      dropped: true,
      call: 0,
      ret: Infinity,
      callTime: undefined,
      retTime: undefined,
      line,
    });
  }

  /** Closes whatever is open on `client` without a word (its completion was malformed and reported). */
  forget(client: string): void {
    this.open.delete(client);
  }

  /**
   * The operations that happened or may have happened, in invocation order, ids from 0. Those
   * still open never completed: their outcome is unknown and they stay open forever. With
   * `useRecordedTimes`, call and return are `callTime`/`retTime` instead of the line-based times.
   */
  finish(useRecordedTimes = false): LinOp<I, O>[] {
    for (const draft of this.open.values()) {
      draft.unknown = true;
      draft.ret = Infinity;
    }
    this.open.clear();
    const ops: LinOp<I, O>[] = [];
    for (const d of this.drafts) {
      if (d.dropped || d.input === undefined) continue;
      const call = useRecordedTimes ? (d.callTime ?? d.call) : d.call;
      const ret = d.ret === Infinity ? Infinity : useRecordedTimes ? (d.retTime ?? d.ret) : d.ret;
      ops.push({
        id: ops.length,
        client: d.client,
        input: d.input,
        output: d.output,
        unknown: d.unknown,
        call,
        ret,
        line: d.line,
      });
    }
    return ops;
  }
}
