/**
 * The vocabulary of the linearizability checker: an operation as the search sees it (input,
 * output, call and return time, whether the outcome is known), and a sequential model that says
 * which outputs are legal from which state. A model is a small interface so protocols can bring
 * their own (DESIGN §8: checkers are pure functions over histories).
 */

/** One operation of a history, ready for the search. Times are any monotone numbers. */
export interface LinOp<I = unknown, O = unknown> {
  /** Position in the history (stable, used in evidence). */
  readonly id: number;
  readonly client: string;
  readonly input: I;
  /** The output the client saw; meaningless when `unknown`. */
  readonly output: O;
  /**
   * True when the outcome is unknown (Jepsen `info`, Porcupine `unknown=true`): the operation may
   * or may not have taken effect, its output constrains nothing, and it stays open: `ret` is
   * usually Infinity.
   */
  readonly unknown: boolean;
  readonly call: number;
  readonly ret: number;
  /** Source line in the history file, when parsed from one. */
  readonly line?: number;
}

/** A sequential specification. States must be immutable values: `step` returns a new one. */
export interface Model<S = unknown, I = unknown, O = unknown> {
  readonly name: string;
  readonly summary: string;
  init(): S;
  /** The state after applying `input` with observed `output`, or undefined if that output is illegal there. */
  step(state: S, input: I, output: O, unknown: boolean): S | undefined;
  /**
   * Optional: true when this operation, wherever it is legal, leaves the state exactly as it was
   * (a read; a completed cas that failed). The search then linearizes it as soon as it is legal
   * and tries no alternative there (sound: see search.ts). Must hold for every state; when in
   * doubt, leave it out.
   */
  readOnly?(input: I, output: O, unknown: boolean): boolean;
  /**
   * Optional, with `mayHoldLater`: true when this operation only ever moves the state "forward"
   * in the order `mayHoldLater` reasons about (an append, an add of a non-negative number). An
   * unknown operation counts like a known one.
   */
  monotone?(input: I): boolean;
  /**
   * Optional: for a known read-only operation that is illegal in `state`, false when no sequence
   * of monotone operations from `state` can make it legal (the string read is not an extension
   * of the current one); a model without monotone operations says whether the read is legal in
   * `state`. The search uses it to abandon a configuration whose read can never be satisfied
   * (see `sets`) instead of trying every order of the writes in flight with it. `pending`, when
   * given, says which monotone operations can still come before the read: a model may say false
   * when what the read still needs cannot be made of them (a value it shows was appended
   * already, elsewhere, or by nobody in flight). When in doubt, return true.
   */
  mayHoldLater?(state: S, input: I, output: O, pending?: PendingOps<I>): boolean;
  /**
   * Optional, with `mayHoldLater`: the state this non-monotone operation leaves whenever it
   * changes the state, whatever the state was (a write or put: its value; a cas: its `to`);
   * undefined when that depends on the state before. A read illegal now is then doomed when
   * neither the current state nor the state any such operation still able to precede it sets
   * can lead to it by monotone operations (a read of a value nothing in flight writes).
   */
  sets?(input: I, output: O, unknown: boolean): S | undefined;
  /** A value equal for equal states (used to cache visited configurations). */
  key(state: S): string | number;
  /** P-compositionality: operations on different partitions are checked independently. */
  partition?(input: I): string;
  /**
   * Optional, per partition, before the search: what the model can prove about unknown
   * operations. Must preserve linearizability exactly; the brute-force property test holds every
   * model to it.
   */
  prune?(ops: readonly LinOp<I, O>[]): Pruning;
  /**
   * Optional: one sentence in this model's terms on why the culprit of a violation is wrong, e.g.
   * "read() returned 1 at 4.2 ms, but write(2) completed at 3.9 ms and nothing that could come
   * after it wrote 1". Undefined when it cannot say; the evidence then gives a generic sentence.
   */
  explain?(context: ExplainContext<I, O>): string | undefined;
  /**
   * Optional, but every model shipped here has it, and `faultline check` calls it on every
   * operation before the search: undefined when the model understands the operation, else why
   * not, as the end of a sentence ("expected an operation "read" or "write", found "get"").
   * Inputs and outputs are `unknown` here: this is where a history meant for another model is
   * caught, before `step` would misread it.
   */
  validate?(input: unknown, output: unknown, unknown: boolean): string | undefined;
  /** One readable line, e.g. `put(x, 2) -> ok`. */
  describe(input: I, output: O, unknown: boolean): string;
}

/**
 * The monotone operations that can still come before a read, as `Model.mayHoldLater` sees them:
 * `all` holds the input of every monotone operation of the partition and is the same array for
 * the whole search (a model may index it once, keyed by the array), and `has(k)` says whether
 * all[k] can still come (not linearized yet, called by the time the read returned).
 */
export interface PendingOps<I> {
  readonly all: readonly I[];
  has(k: number): boolean;
}

export interface Pruning {
  /** Operations that cannot change the verdict (e.g. an unknown write no read ever saw). */
  readonly drop: ReadonlySet<number>;
  /**
   * Unknown operations that certainly took effect (a read saw their unique value), with the
   * latest time they can have taken effect (that read's return): they become known operations.
   */
  readonly happenedBy?: ReadonlyMap<number, number>;
}

export type LinVerdict = 'ok' | 'violation' | 'unknown';

export interface PartitionResult {
  readonly partition: string;
  readonly verdict: LinVerdict;
  readonly ops: number;
  /** Configurations explored (bitset, state) before a verdict. */
  readonly states: number;
  /** For a violation or unknown: the longest prefix found that could be linearized, as op ids in order. */
  readonly longestLinearization?: readonly number[];
}

export interface LinResult {
  readonly verdict: LinVerdict;
  readonly partitions: readonly PartitionResult[];
  /** The first partition that is not linearizable (or ran out of budget), when any. */
  readonly failing?: PartitionResult;
}

export interface LinBudget {
  /** Stop with `unknown` after exploring this many configurations in one partition. */
  readonly statesMax?: number;
  /** Called now and then; returning true stops the search with `unknown` (the CLI's --timeout). */
  readonly shouldStop?: () => boolean;
}

/** What `Model.explain` is given: the culprit of a violation and the operations around it. */
export interface ExplainContext<I, O> {
  readonly culprit: LinOp<I, O>;
  /** Known operations that completed before the culprit was called, in completion order. */
  readonly before: readonly LinOp<I, O>[];
  /** Operations in flight with the culprit (unknown ones included), in call order. */
  readonly concurrent: readonly LinOp<I, O>[];
  /** A time as the history counts it (a duration for runs, a line number for files). */
  readonly time: (t: number) => string;
}

/**
 * A model of any state type, as callers that only pass it to the search hold it (the state stays
 * inside the model and the search). Input and output types, when known, are kept.
 */
// biome-ignore lint/suspicious/noExplicitAny: the state type is the model's own business
export type AnyModel<I = any, O = any> = Model<any, I, O>;
