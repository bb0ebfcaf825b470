/**
 * What a read shows of the writes, as the session-guarantees checker needs it: which writes a
 * read observed (their unique values are in its result), and whether it covers a write (the
 * write's effect, or that of a write ordered after it, is in the state it read). Terry et al.
 * 1994 state the guarantees over the writes a server holds and their order; a history shows
 * neither, so each workload gives the order it can prove, and says which rule it used.
 *
 * - `kv` (faultline's key-value workload, no versions returned): a read lists the put that last
 *   replaced the value, then the appends after it. A write missing from a read is covered only
 *   if that put may have come after it. "May" assumes the store orders writes consistently with
 *   real time, as a linearizable store (Raft, primary-backup) must: a put that completed before
 *   the write was invoked came before it, and cannot have erased it. A store that orders writes
   by skewed wall clocks (last-writer-wins) breaks that assumption: a write its timestamp put
   before an older one then counts as missing, which is what its client sees, though Terry et
   al. would call it a lost update rather than a broken guarantee.
 * - `register` (causal contexts): a put replaces exactly the siblings of the get whose context
 *   it carries (its client's last get), so a read covers a write when one of the values it shows
 *   was written over it, directly or through a chain of such puts. No real-time assumption.
 * - `kv-context` (the dynamo store's: a put returns its version's vector, a get the vector of the
 *   versions it returned): a read covers a write when it shows the write's value or its context
 *   dominates the write's vector (every entry at least as large, a missing entry counting as 0),
 *   so the write is in the causal past of the state read, as Terry et al. order writes. A write
 *   concurrent with the read's context is missing. A last-writer-wins loser is covered (the
 *   winner's context took its dot in): it was overwritten, a lost update for durability to count,
 *   not a broken session guarantee. A put whose outcome is unknown returned no vector: it is
 *   never judged missing, so the counts are a lower bound.
 *
 * A workload whose reads name no writes (counters, sets) has no view, nor does a register whose
 * reads carry no causal context (last-writer-wins): the checker says so.
 */
import type { History, KvInput, Operation } from '../core/history.js';
import type { RegisterInput, RegisterRead } from '../core/replicated-ops.js';

export interface SessionView {
  /** Which rule orders the writes, for the result: a reader must know what was assumed. */
  readonly rule: string;
  /** Each key's reads and writes. */
  readonly keys: ReadonlyMap<string, KeyOps>;
  /** The writes whose values the read returned. */
  observed(read: Operation): readonly Operation[];
  /** Whether the state the read returned holds the write, or a write ordered after it. */
  covers(read: Operation, write: Operation): boolean;
}

/** One key's completed reads and the writes they could have seen, each in history order. */
export interface KeyOps {
  readonly reads: Operation[];
  readonly writes: Operation[];
}

/** A view, or why the history cannot give one. */
export type ViewOf = { readonly view: SessionView } | { readonly unjudged: string };

/**
 * The view of a history, by the shape of its operations (kv writes name a key, register puts
 * carry a context). A register whose reads return values without their causal context (a
 * last-writer-wins register) orders writes by timestamps the history does not show, so a
 * missing write may always have been ordered first: it gets no view, and nothing is judged.
 */
export function sessionView(history: History): ViewOf {
  const write = history.find((op) => op.f === 'put' || op.f === 'append');
  if (write === undefined) return { unjudged: 'no write whose reads name the values they saw' };
  const input = write.input as Record<string, unknown>;
  if (typeof input.key === 'string' && Array.isArray(input.context)) return kvContextView(history);
  if (typeof input.key === 'string') return { view: kvView(history) };
  if (!Array.isArray(input.context))
    return { unjudged: 'no write whose reads name the values they saw' };
  const blind = history.some((op) => {
    const out = op.outcome === 'ok' && op.f === 'get' ? (op.output as RegisterRead) : undefined;
    return out !== undefined && out.values.length > 0 && out.context.length === 0;
  });
  if (blind)
    return {
      unjudged:
        'the register’s reads carry no causal context (last-writer-wins): which writes a read ' +
        'holds cannot be told from the history',
    };
  return { view: registerView(history) };
}

const REAL_TIME_RULE =
  'kv: a write missing from a read is covered only by a put it shows that may have come ' +
  'after the write (assumes writes are ordered as in real time, as a linearizable store must)';

const CONTEXT_RULE =
  'register: a read covers the writes its values were written over, by the causal ' +
  'context of their puts (no real-time assumption)';

const VECTOR_RULE =
  'kv-context: a read covers a write whose value it shows or whose version vector its context ' +
  'dominates (no real-time assumption; a put with an unknown outcome has no vector and is ' +
  'never missing)';

const isOkRead = (op: Operation, f: string) => op.f === f && op.outcome === 'ok';

/** Ops by key, reads kept only when they completed; writes that definitely failed left out. */
function byKey(history: History, key: (op: Operation) => string, readF: string) {
  const keys = new Map<string, KeyOps>();
  for (const op of history) {
    const isRead = isOkRead(op, readF);
    if (!isRead && (op.f === readF || op.outcome === 'fail')) continue;
    const k = key(op);
    let entry = keys.get(k);
    if (entry === undefined) {
      entry = { reads: [], writes: [] };
      keys.set(k, entry);
    }
    (isRead ? entry.reads : entry.writes).push(op);
  }
  return keys;
}

/** What one kv read shows: its words, the writes they name, and the put it starts from. */
interface KvRead {
  readonly words: ReadonlySet<string>;
  readonly observed: readonly Operation[];
  readonly base: Operation | undefined;
}

function kvView(history: History): SessionView {
  const keyOf = (op: Operation) => (op.input as KvInput).key;
  const keys = byKey(history, keyOf, 'get');
  const writerOf = new Map<string, Operation>();
  for (const k of keys.values())
    for (const w of k.writes) writerOf.set(`${keyOf(w)}\u0000${kvValue(w)}`, w);
  const cache = new Map<Operation, KvRead>();
  const shown = (read: Operation): KvRead => {
    let r = cache.get(read);
    if (r === undefined) {
      const words = kvWords(read);
      const observed = words.flatMap((v) => writerOf.get(`${keyOf(read)}\u0000${v}`) ?? []);
      r = { words: new Set(words), observed, base: observed.find((w) => w.f === 'put') };
      cache.set(read, r);
    }
    return r;
  };
  return {
    rule: REAL_TIME_RULE,
    keys,
    observed: (read) => shown(read).observed,
    covers(read, write) {
      const { words, base } = shown(read);
      if (words.has(kvValue(write))) return true;
      return base !== undefined && base !== write && !completedBefore(base, write);
    },
  };
}

const kvValue = (op: Operation) => (op.input as { value: string }).value;

function kvWords(read: Operation): string[] {
  const out = read.output as string | null;
  return out === null || out === '' ? [] : out.split(' ');
}

/** `a` finished before `b` began: in any order that respects real time, `a` comes first. */
const completedBefore = (a: Operation, b: Operation): boolean =>
  a.outcome === 'ok' && a.completeUs !== undefined && a.completeUs < b.invokeUs;

/** A kv-context get's output, and a put's (its own version's vector). */
interface ContextRead {
  readonly values: readonly string[];
  readonly context: readonly string[];
}

function kvContextView(history: History): ViewOf {
  const blind = history.some((op) => {
    const out = isOkRead(op, 'get') ? (op.output as ContextRead) : undefined;
    return out !== undefined && out.values.length > 0 && out.context.length === 0;
  });
  if (blind)
    return { unjudged: 'the store’s reads carry no version vectors: nothing can be ordered' };
  const keyOf = (op: Operation) => (op.input as { key: string }).key;
  const keys = byKey(history, keyOf, 'get');
  const writerOf = new Map<string, Operation>();
  const vectorOf = new Map<Operation, Vector>();
  for (const k of keys.values())
    for (const w of k.writes) {
      writerOf.set(`${keyOf(w)}\u0000${kvValue(w)}`, w);
      const context = (w.output as Partial<ContextRead> | null | undefined)?.context;
      if (w.outcome === 'ok' && context !== undefined) vectorOf.set(w, vector(context));
    }
  const reads = new Map<Operation, { observed: Operation[]; context: Vector }>();
  const shown = (read: Operation) => {
    let r = reads.get(read);
    if (r === undefined) {
      const out = read.output as ContextRead;
      const observed = out.values.flatMap((v) => writerOf.get(`${keyOf(read)}\u0000${v}`) ?? []);
      r = { observed, context: vector(out.context) };
      reads.set(read, r);
    }
    return r;
  };
  const covers = (read: Operation, write: Operation) => {
    const r = shown(read);
    const v = vectorOf.get(write);
    return v === undefined || r.observed.includes(write) || dominates(r.context, v);
  };
  return { view: { rule: VECTOR_RULE, keys, observed: (read) => shown(read).observed, covers } };
}

/** A version vector: node to counter; a node it does not name counts as 0. */
type Vector = ReadonlyMap<string, number>;

/** `n1:3` entries as a vector. */
function vector(entries: readonly string[]): Vector {
  const out = new Map<string, number>();
  for (const e of entries) {
    const at = e.lastIndexOf(':');
    out.set(e.slice(0, at), Number(e.slice(at + 1)));
  }
  return out;
}

/** Every entry of `b` is at most `a`'s: `a` is equal to or after `b`. */
const dominates = (a: Vector, b: Vector): boolean =>
  [...b].every(([node, n]) => (a.get(node) ?? 0) >= n);

function registerView(history: History): SessionView {
  const keys = byKey(history, () => 'register', 'get');
  const reg = keys.get('register') ?? { reads: [], writes: [] };
  const writerOf = new Map(reg.writes.map((w) => [registerValue(w), w] as const));
  const seen = new Map<Operation, readonly Operation[]>();
  const observed = (read: Operation): readonly Operation[] => {
    let out = seen.get(read);
    if (out === undefined) {
      out = (read.output as RegisterRead).values.flatMap((v) => writerOf.get(String(v)) ?? []);
      seen.set(read, out);
    }
    return out;
  };
  const replaced = replacedWrites(history, reg.writes, writerOf);
  const below = new Map<Operation, ReadonlySet<Operation>>();
  const coveredBy = (w: Operation): ReadonlySet<Operation> => {
    const known = below.get(w);
    if (known !== undefined) return known;
    const out = new Set<Operation>();
    below.set(w, out); // a cycle (a broken store) stops here rather than recursing forever
    for (const r of replaced.get(w) ?? []) {
      out.add(r);
      for (const x of coveredBy(r)) out.add(x);
    }
    return out;
  };
  return {
    rule: CONTEXT_RULE,
    keys,
    observed,
    covers: (read, write) => observed(read).some((w) => w === write || coveredBy(w).has(write)),
  };
}

const registerValue = (op: Operation) => (op.input as { value: string }).value;

/**
 * The writes each put replaced: those whose values the get it took its context from returned
 * (its client's last completed get with that context). A put whose get is not in the history is
 * taken to replace every write invoked before it completed, so nothing is judged missing that
 * it may have replaced.
 */
function replacedWrites(
  history: History,
  writes: readonly Operation[],
  writerOf: ReadonlyMap<string, Operation>,
): Map<Operation, readonly Operation[]> {
  const lastGet = new Map<string, Operation>();
  const out = new Map<Operation, readonly Operation[]>();
  for (const op of history) {
    if (isOkRead(op, 'get')) lastGet.set(op.client, op);
    if (op.f !== 'put' || op.outcome === 'fail') continue;
    const context = (op.input as Extract<RegisterInput, { f: 'put' }>).context;
    const get = lastGet.get(op.client);
    if (context.length === 0) out.set(op, []);
    else if (get !== undefined && sameContext((get.output as RegisterRead).context, context))
      out.set(
        op,
        (get.output as RegisterRead).values.flatMap((v) => writerOf.get(String(v)) ?? []),
      );
    else
      out.set(
        op,
        writes.filter((w) => w !== op && w.invokeUs < (op.completeUs ?? Infinity)),
      );
  }
  return out;
}

const sameContext = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);
