/**
 * Small concurrent histories for testing the linearizability checker against the brute-force
 * oracle (DESIGN §8), one family per model in src/checkers/linearizability/models.
 *
 * - `historyArb`: random operations with random outputs from a small domain, 2–4 client threads,
 *   at most 8 operations, overlapping in real time. Some are unknown (`info`): they stay open to
 *   the end (`ret` = Infinity) and the thread goes on under a new client id, as in Jepsen.
 * - `sequentialHistoryArb`: a real sequential execution stretched into overlapping intervals
 *   around its linearization points, so it is linearizable by construction.
 * - `almostLinearizableArb`: the same, then often one observed output is changed or one interval
 *   is shifted, so the history is non-linearizable by a little (or, by chance, still fine).
 *
 * The executions come from reference implementations written here, independently of the models,
 * so the oracle accepting every sequential history also checks the models.
 */
import fc from 'fast-check';
import type { LinOp } from '../../src/checkers/linearizability/types.js';

const OPS_MAX = 8;
const THREADS_MIN = 2;
const THREADS_MAX = 4;

/** A model's reference implementation plus the output domains the generators draw from. */
interface Spec<S, I, O> {
  readonly init: S;
  readonly input: fc.Arbitrary<I>;
  /** The output a correct implementation gives, and the state after it. */
  run(state: S, input: I): { readonly state: S; readonly output: O };
  /** Whether the model checks this input's output (reads, cas, get, dequeue). */
  observes(input: I): boolean;
  /** Some output for `input`, picked by `seed` from a small domain. */
  anyOutput(input: I, seed: number): O;
  /** An output for `input` different from `output`, picked by `seed`. */
  otherOutput(input: I, output: O, seed: number): O;
  /**
   * Optional, for models whose inputs are not legal in every state (a lock): the input a correct
   * client issues in `state` instead of `input` (release a held lock rather than acquire it).
   */
  legalInput?(state: S, input: I): I;
  /** Optional, for models without outputs to perturb: another input for the same operation. */
  otherInput?(input: I): I;
}

const pick = <T>(xs: readonly T[], seed: number): T => xs[seed % xs.length] as T;
const value = fc.integer({ min: 0, max: 2 });
const KEYS = ['x', 'y'] as const;
const WORDS = ['a', 'b', 'c'] as const;

type Reg = { f: 'read' } | { f: 'write'; value: number } | { f: 'cas'; from: number; to: number };
type RegOut = { value?: number | null; ok?: boolean };

function registerSpec(withCas: boolean): Spec<number | null, Reg, RegOut> {
  const inputs: fc.Arbitrary<Reg>[] = [
    fc.constant<Reg>({ f: 'read' }),
    value.map<Reg>((v) => ({ f: 'write', value: v })),
  ];
  if (withCas)
    inputs.push(fc.tuple(value, value).map<Reg>(([from, to]) => ({ f: 'cas', from, to })));
  return {
    init: null,
    input: fc.oneof(...inputs),
    run(state, input) {
      if (input.f === 'read') return { state, output: { value: state } };
      if (input.f === 'write') return { state: input.value, output: {} };
      const ok = state === input.from;
      return { state: ok ? input.to : state, output: { ok } };
    },
    observes: (input) => input.f !== 'write',
    anyOutput(input, seed) {
      if (input.f === 'read') return { value: pick([null, 0, 1, 2], seed) };
      if (input.f === 'write') return {};
      return { ok: seed % 2 === 0 };
    },
    otherOutput(input, output, seed) {
      if (input.f === 'cas') return { ok: output.ok !== true };
      if (input.f === 'write') return output;
      return {
        value: pick(
          [null, 0, 1, 2, 3].filter((v) => v !== (output.value ?? null)),
          seed,
        ),
      };
    },
  };
}

type Kv = { f: 'get'; key: string } | { f: 'put' | 'append'; key: string; value: string };
const kvInput: fc.Arbitrary<Kv> = fc.oneof(
  fc.constantFrom(...KEYS).map<Kv>((key) => ({ f: 'get', key })),
  fc
    .tuple(
      fc.constantFrom<'put' | 'append'>('put', 'append', 'append'),
      fc.constantFrom(...KEYS),
      fc.constantFrom(...WORDS),
    )
    .map<Kv>(([f, key, v]) => ({ f, key, value: v })),
);

/** Porcupine's kv: per-key strings from "", append concatenates without separator. */
const kvSpec: Spec<Readonly<Record<string, string>>, Kv, string> = {
  init: {},
  input: kvInput,
  run(state, input) {
    const old = state[input.key] ?? '';
    if (input.f === 'get') return { state, output: old };
    return {
      state: { ...state, [input.key]: input.f === 'put' ? input.value : old + input.value },
      output: '',
    };
  },
  observes: (input) => input.f === 'get',
  anyOutput: (input, seed) =>
    input.f === 'get' ? pick(['', 'a', 'b', 'ab', 'ba', 'aa', 'c'], seed) : '',
  otherOutput(input, output, seed) {
    if (input.f !== 'get') return output;
    return pick(
      [...new Set(['', 'a', 'b', 'ab', `${output}a`, output.slice(1)])].filter((s) => s !== output),
      seed,
    );
  },
};

/** faultline's kv: absent keys read null, append joins with one space. */
const kvListSpec: Spec<Readonly<Record<string, string>>, Kv, string | null> = {
  init: {},
  input: kvInput,
  run(state, input) {
    const old = state[input.key];
    if (input.f === 'get') return { state, output: old ?? null };
    const next = input.f === 'put' || old === undefined ? input.value : `${old} ${input.value}`;
    return { state: { ...state, [input.key]: next }, output: next };
  },
  observes: (input) => input.f === 'get',
  anyOutput: (input, seed) =>
    input.f === 'get' ? pick([null, 'a', 'b', 'a b', 'b a', 'a a', ''], seed) : null,
  otherOutput(input, output, seed) {
    if (input.f !== 'get') return output;
    const longer = output === null ? 'a' : `${output} a`;
    const shorter =
      output === null
        ? 'b'
        : output.includes(' ')
          ? output.slice(0, output.lastIndexOf(' '))
          : null;
    return pick(
      [...new Set([null, 'a', 'b', 'a b', longer, shorter])].filter((s) => s !== output),
      seed,
    );
  },
};

type Cnt = { f: 'add'; value: number } | { f: 'read' };
const counterSpec: Spec<number, Cnt, { value?: number }> = {
  init: 0,
  input: fc.oneof(
    fc.constant<Cnt>({ f: 'read' }),
    fc.integer({ min: 1, max: 3 }).map<Cnt>((v) => ({ f: 'add', value: v })),
  ),
  run: (state, input) =>
    input.f === 'add'
      ? { state: state + input.value, output: {} }
      : { state, output: { value: state } },
  observes: (input) => input.f === 'read',
  anyOutput: (input, seed) => (input.f === 'read' ? { value: seed % 7 } : {}),
  otherOutput(input, output, seed) {
    if (input.f !== 'read') return output;
    const v = output.value ?? 0;
    return { value: pick([v + 1, v - 1, v + 2], seed) };
  },
};

/** State: sorted members. */
const setSpec: Spec<readonly number[], Cnt, { values?: number[] }> = {
  init: [],
  input: fc.oneof(
    fc.constant<Cnt>({ f: 'read' }),
    fc.integer({ min: 0, max: 3 }).map<Cnt>((v) => ({ f: 'add', value: v })),
  ),
  run(state, input) {
    if (input.f === 'read') return { state, output: { values: [...state].reverse() } };
    return {
      state: state.includes(input.value) ? state : [...state, input.value].sort((a, b) => a - b),
      output: {},
    };
  },
  observes: (input) => input.f === 'read',
  anyOutput(input, seed) {
    if (input.f !== 'read') return {};
    const values = [0, 1, 2, 3].filter((v) => (seed & (1 << v)) !== 0);
    return { values: seed & 16 ? values.reverse() : values };
  },
  otherOutput(input, output, seed) {
    if (input.f !== 'read') return output;
    const values = output.values ?? [];
    const v = seed % 4;
    return { values: values.includes(v) ? values.filter((x) => x !== v) : [...values, v] };
  },
};

type Q = { f: 'enqueue'; value: number } | { f: 'dequeue' };
const fifoSpec: Spec<readonly number[], Q, { value?: number | null }> = {
  init: [],
  input: fc.oneof(
    fc.constant<Q>({ f: 'dequeue' }),
    fc.integer({ min: 0, max: 3 }).map<Q>((v) => ({ f: 'enqueue', value: v })),
  ),
  run(state, input) {
    if (input.f === 'enqueue') return { state: [...state, input.value], output: {} };
    return { state: state.slice(1), output: { value: state[0] ?? null } };
  },
  observes: (input) => input.f === 'dequeue',
  anyOutput: (input, seed) =>
    input.f === 'dequeue' ? { value: pick([null, 0, 1, 2, 3], seed) } : {},
  otherOutput(input, output, seed) {
    if (input.f !== 'dequeue') return output;
    return {
      value: pick(
        [null, 0, 1, 2, 3, 4].filter((v) => v !== (output.value ?? null)),
        seed,
      ),
    };
  },
};

/** A spec of any model: the tables below hold specs of unrelated state, input and output types. */
// biome-ignore lint/suspicious/noExplicitAny: each spec is used only with its own model's histories.
type AnySpec = Spec<any, any, any>;

type Lock = { f: 'acquire' } | { f: 'release' };
/** Knossos's mutex: a correct client acquires a free lock and releases a held one. */
const mutexSpec: Spec<boolean, Lock, Record<string, never>> = {
  init: false,
  input: fc.constantFrom<Lock>({ f: 'acquire' }, { f: 'release' }),
  run: (_held, input) => ({ state: input.f === 'acquire', output: {} }),
  legalInput: (held) => (held ? { f: 'release' } : { f: 'acquire' }),
  otherInput: (input) => (input.f === 'acquire' ? { f: 'release' } : { f: 'acquire' }),
  observes: () => true,
  anyOutput: () => ({}),
  otherOutput: (_input, output) => output,
};

type Micro = { f: 'read'; key: string } | { f: 'write'; key: string; value: string | null };
type Txn = { f: 'txn'; ops: Micro[] };
const REG_KEYS = [':x', ':y'] as const;
const REG_VALUES = ['0', '1', '2'] as const;
const microArb: fc.Arbitrary<Micro> = fc.oneof(
  fc.constantFrom(...REG_KEYS).map<Micro>((key) => ({ f: 'read', key })),
  fc
    .tuple(fc.constantFrom(...REG_KEYS), fc.constantFrom(...REG_VALUES))
    .map<Micro>(([key, value]) => ({ f: 'write', key, value })),
);

/** Knossos's multi-register from {:x 0}: transactions of one to three reads and writes. */
function multiRegisterSpec(
  init: Readonly<Record<string, string | null>>,
): Spec<Readonly<Record<string, string | null>>, Txn, { values: (string | null)[] }> {
  const readsOf = (input: Txn, pick: (i: number) => string | null) =>
    input.ops.map((m, i) => (m.f === 'read' ? pick(i) : null));
  return {
    init,
    input: fc
      .array(microArb, { minLength: 1, maxLength: 3 })
      .map<Txn>((ops) => ({ f: 'txn', ops })),
    run(state, input) {
      const next = { ...state };
      const values = input.ops.map((m) => {
        if (m.f === 'write') next[m.key] = m.value;
        return m.f === 'read' ? (next[m.key] ?? null) : null;
      });
      return { state: next, output: { values } };
    },
    observes: (input) => input.ops.some((m) => m.f === 'read'),
    anyOutput: (input, seed) => ({
      values: readsOf(input, (i) => pick([null, '0', '1', '2'], seed + i)),
    }),
    otherOutput(input, output, seed) {
      const at = input.ops.findIndex((m, i) => m.f === 'read' && i >= seed % input.ops.length);
      const i = at === -1 ? input.ops.findIndex((m) => m.f === 'read') : at;
      const values = [...output.values];
      values[i] = pick(
        ['0', '1', '2', '3'].filter((v) => v !== values[i]),
        seed,
      );
      return { values };
    },
  };
}

/** The same spec, each operation on one of two keys as jepsen.independent writes it. */
function independentSpec<S, I, O>(
  inner: Spec<S, I, O>,
): Spec<Readonly<Record<string, S>>, { key: string; inner: I }, O> {
  const stateOf = (all: Readonly<Record<string, S>>, key: string) =>
    Object.hasOwn(all, key) ? (all[key] as S) : inner.init;
  return {
    init: {},
    input: fc
      .tuple(fc.constantFrom('k1', 'k2'), inner.input)
      .map(([key, i]) => ({ key, inner: i })),
    run(all, input) {
      const r = inner.run(stateOf(all, input.key), input.inner);
      return { state: { ...all, [input.key]: r.state }, output: r.output };
    },
    observes: (input) => inner.observes(input.inner),
    anyOutput: (input, seed) => inner.anyOutput(input.inner, seed),
    otherOutput: (input, output, seed) => inner.otherOutput(input.inner, output, seed),
    ...(inner.legalInput !== undefined
      ? {
          legalInput: (all: Readonly<Record<string, S>>, input: { key: string; inner: I }) => ({
            key: input.key,
            inner: inner.legalInput!(stateOf(all, input.key), input.inner),
          }),
        }
      : {}),
    ...(inner.otherInput !== undefined
      ? {
          otherInput: (input: { key: string; inner: I }) => ({
            key: input.key,
            inner: inner.otherInput!(input.inner),
          }),
        }
      : {}),
  };
}

/**
 * Knossos's cas-register from 0: a read of nil (a read that did not say) matches anything, so a
 * reference read of the real value is sometimes recorded as nil.
 */
function knossosCasSpec(): Spec<number | null, Reg, RegOut> {
  const base = registerSpec(true);
  return {
    ...base,
    init: 0,
    anyOutput: (input, seed) =>
      input.f === 'read' ? { value: pick([null, 0, 1, 2], seed) } : base.anyOutput(input, seed),
  };
}

/**
 * Model variants the generic tests do not build from a name (test/property/
 * linearizability-variants.test.ts builds them with `createModel`): the registers in Knossos's
 * semantics and jepsen.independent copies.
 */
export const VARIANT_SPECS: Record<string, AnySpec> = {
  'cas-register --initial 0': knossosCasSpec(),
  'register --initial 0': { ...registerSpec(false), init: 0 },
  'multi-register --initial {:x 0}': multiRegisterSpec({ ':x': '0' }),
  'multi-register --independent': independentSpec(multiRegisterSpec({})),
  'cas-register --independent': independentSpec(registerSpec(true)),
  'mutex --independent': independentSpec(mutexSpec),
};

const SPECS: Record<string, AnySpec> = {
  mutex: mutexSpec,
  'multi-register': multiRegisterSpec({}),
  register: registerSpec(false),
  'cas-register': registerSpec(true),
  kv: kvSpec,
  'kv-list': kvListSpec,
  counter: counterSpec,
  set: setSpec,
  'fifo-queue': fifoSpec,
};

export const GENERATED_MODEL_NAMES: readonly string[] = Object.keys(SPECS);

function specOf(modelName: string): AnySpec {
  const spec = Object.hasOwn(SPECS, modelName)
    ? SPECS[modelName]
    : Object.hasOwn(VARIANT_SPECS, modelName)
      ? VARIANT_SPECS[modelName]
      : undefined;
  if (spec === undefined) throw new Error(`no history generator for model "${modelName}"`);
  return spec;
}

interface Draft {
  client: string;
  input: unknown;
  output: unknown;
  unknown: boolean;
  call: number;
  ret: number;
}

/** Ids in invocation order (ties keep generation order), as a parsed history would have them. */
function finish(drafts: readonly Draft[]): LinOp[] {
  return drafts
    .map((d, i) => ({ d, i }))
    .sort((a, b) => a.d.call - b.d.call || a.i - b.i)
    .map(({ d }, id) => ({
      id,
      client: d.client,
      input: d.input,
      output: d.output,
      unknown: d.unknown,
      call: d.call,
      ret: d.ret,
    }));
}

/** Client id of a thread: `p1`, then `p1.1` after its first unknown operation, and so on. */
const clientId = (thread: number, generation: number): string =>
  generation === 0 ? `p${thread}` : `p${thread}.${generation}`;

const unknownRoll = fc.nat(5); // 0 → unknown: about one operation in six.

/** `opsMax` may lower the bound of 8 operations (e.g. for an even slower reference). */
export function historyArb(modelName: string, opsMax = OPS_MAX): fc.Arbitrary<LinOp[]> {
  const spec = specOf(modelName);
  const op = fc.record({
    input: spec.input,
    thread: fc.nat(THREADS_MAX - 1),
    gap: fc.nat(10),
    duration: fc.nat(20),
    unknownRoll,
    outputSeed: fc.nat(1000),
  });
  return fc
    .record({
      threads: fc.integer({ min: THREADS_MIN, max: THREADS_MAX }),
      ops: fc.array(op, { minLength: 1, maxLength: Math.min(opsMax, OPS_MAX) }),
    })
    .map(({ threads, ops }) => {
      const cursor = new Array<number>(threads).fill(0);
      const generation = new Array<number>(threads).fill(0);
      const drafts = ops.map((o): Draft => {
        const t = o.thread % threads;
        const call = (cursor[t] as number) + o.gap;
        const unknown = o.unknownRoll === 0;
        const client = clientId(t, generation[t] as number);
        // An unknown op stays open; its thread gives up after `duration` and goes on under a new id.
        cursor[t] = call + o.duration + 1;
        if (unknown) generation[t] = (generation[t] as number) + 1;
        return {
          client,
          input: o.input,
          output: spec.anyOutput(o.input, o.outputSeed),
          unknown,
          call,
          ret: unknown ? Infinity : call + o.duration,
        };
      });
      return finish(drafts);
    });
}

type Perturbation =
  | { kind: 'none' }
  | { kind: 'output'; index: number; seed: number }
  | { kind: 'shift'; index: number; delta: number };

/** The shape of executions: how many operations and threads, how far an interval reaches. */
interface Shape {
  readonly opsMax: number;
  readonly threadsMax: number;
  /** How long after its point an operation may return (10 between points). */
  readonly afterMax: number;
}

const SMALL: Shape = { opsMax: OPS_MAX, threadsMax: THREADS_MAX, afterMax: 15 };

function executionArb(
  modelName: string,
  perturbation: fc.Arbitrary<Perturbation>,
  unknownRollArb: fc.Arbitrary<number> = unknownRoll,
  shape: Shape = SMALL,
): fc.Arbitrary<LinOp[]> {
  const spec = specOf(modelName);
  const op = fc.record({
    input: spec.input,
    thread: fc.nat(shape.threadsMax - 1),
    before: fc.nat(15),
    after: fc.oneof(fc.nat(15), fc.nat(shape.afterMax)),
    unknownRoll: unknownRollArb,
    applied: fc.boolean(),
  });
  const raw = fc.record({
    threads: fc.integer({ min: THREADS_MIN, max: shape.threadsMax }),
    ops: fc.array(op, { minLength: 1, maxLength: shape.opsMax }),
    perturbation,
  });
  return raw.map(({ threads, ops, perturbation: p }) => {
    let state = spec.init;
    const last = new Array<Draft | undefined>(threads).fill(undefined);
    const generation = new Array<number>(threads).fill(0);
    const drafts = ops.map((o, i): Draft => {
      // Linearization points 10 apart, in execution order; each interval contains its point.
      const point = 10 * (i + 1);
      const t = o.thread % threads;
      const unknown = o.unknownRoll === 0;
      let output: unknown;
      let input = o.input;
      if (unknown && !o.applied) {
        output = spec.anyOutput(o.input, 0); // it never took effect; its output is meaningless
      } else {
        if (spec.legalInput !== undefined) input = spec.legalInput(state, input);
        const r = spec.run(state, input);
        state = r.state;
        output = r.output;
      }
      let call = point - o.before;
      const prev = last[t];
      if (prev !== undefined) {
        // Keep each client sequential: the previous op returns before this one is called.
        if (!prev.unknown) prev.ret = Math.min(prev.ret, point - 1);
        call = Math.max(call, prev.unknown ? prev.call + 1 : prev.ret + 1);
      }
      const draft: Draft = {
        client: clientId(t, generation[t] as number),
        input,
        output,
        unknown,
        call,
        ret: unknown ? Infinity : point + o.after,
      };
      last[t] = draft;
      if (unknown) generation[t] = (generation[t] as number) + 1;
      return draft;
    });
    perturb(spec, drafts, p);
    return finish(drafts);
  });
}

function perturb(spec: AnySpec, drafts: Draft[], p: Perturbation): void {
  if (p.kind === 'output') {
    const observed = drafts.filter((d) => !d.unknown && spec.observes(d.input));
    const target = observed[p.index % Math.max(1, observed.length)];
    if (target !== undefined && spec.otherInput !== undefined)
      target.input = spec.otherInput(target.input);
    else if (target !== undefined)
      target.output = spec.otherOutput(target.input, target.output, p.seed);
  } else if (p.kind === 'shift') {
    const target = drafts[p.index % drafts.length] as Draft;
    target.call += p.delta;
    target.ret += p.delta;
    // A client has one op in flight at a time: if the shift breaks that, the op moves to a client of its own.
    const clash = drafts.some(
      (d) =>
        d !== target && d.client === target.client && d.call <= target.ret && target.call <= d.ret,
    );
    if (clash) target.client = `${target.client}*`;
  }
}

/** Linearizable by construction. */
export function sequentialHistoryArb(modelName: string): fc.Arbitrary<LinOp[]> {
  return executionArb(modelName, fc.constant<Perturbation>({ kind: 'none' }));
}

/** Linearizable by construction, then usually perturbed by one output or one interval. */
export function almostLinearizableArb(modelName: string): fc.Arbitrary<LinOp[]> {
  const perturbation = fc.oneof(
    { arbitrary: fc.constant<Perturbation>({ kind: 'none' }), weight: 1 },
    {
      arbitrary: fc.record({
        kind: fc.constant('output' as const),
        index: fc.nat(OPS_MAX),
        seed: fc.nat(100),
      }),
      weight: 2,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant('shift' as const),
        index: fc.nat(OPS_MAX),
        delta: fc.integer({ min: -40, max: 40 }),
      }),
      weight: 1,
    },
  );
  return executionArb(modelName, perturbation);
}

/**
 * Like `almostLinearizableArb`, but every other operation is unknown (`info`), applied or not:
 * the shape of runs with paused primaries and power losses, where the checker's pruning of
 * unknown operations and of unsatisfiable reads does most of the work.
 */
export function infoHeavyArb(modelName: string): fc.Arbitrary<LinOp[]> {
  const perturbation = fc.oneof(
    { arbitrary: fc.constant<Perturbation>({ kind: 'none' }), weight: 1 },
    {
      arbitrary: fc.record({
        kind: fc.constant('output' as const),
        index: fc.nat(OPS_MAX),
        seed: fc.nat(100),
      }),
      weight: 1,
    },
  );
  return executionArb(modelName, perturbation, fc.nat(1));
}

/** Up to 12 operations on up to 6 threads: the shape the search's pruning rules act on. */
const WIDE: Shape = { opsMax: 12, threadsMax: 6, afterMax: 80 };

/**
 * Wider executions for the search's pruning and ordering rules: more operations and threads,
 * some intervals reaching far past their point (a put or append pending while many others come
 * and go), and every third operation unknown, so pool classes of interchangeable unknown writes
 * form; then usually one output changed or one interval shifted.
 */
export function wideArb(modelName: string): fc.Arbitrary<LinOp[]> {
  const perturbation = fc.oneof(
    { arbitrary: fc.constant<Perturbation>({ kind: 'none' }), weight: 2 },
    {
      arbitrary: fc.record({
        kind: fc.constant('output' as const),
        index: fc.nat(WIDE.opsMax),
        seed: fc.nat(100),
      }),
      weight: 2,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant('shift' as const),
        index: fc.nat(WIDE.opsMax),
        delta: fc.integer({ min: -60, max: 60 }),
      }),
      weight: 1,
    },
  );
  return executionArb(modelName, perturbation, fc.nat(2), WIDE);
}

/** Up to 8 operations on up to 5 threads, half of them unknown. */
const POOL: Shape = { opsMax: 8, threadsMax: 5, afterMax: 15 };

/**
 * Executions where every unknown operation was called at the very start, so it may go anywhere
 * (widening an interval keeps a linearizable history linearizable): the unknown operations
 * that cancel out (an enqueue and a dequeue, a write and a write back) can be used early or
 * late, which is what the visited set's dominance rule is about. Then usually one output changed.
 */
export function poolArb(modelName: string): fc.Arbitrary<LinOp[]> {
  const perturbation = fc.oneof(
    { arbitrary: fc.constant<Perturbation>({ kind: 'none' }), weight: 1 },
    {
      arbitrary: fc.record({
        kind: fc.constant('output' as const),
        index: fc.nat(POOL.opsMax),
        seed: fc.nat(100),
      }),
      weight: 2,
    },
  );
  return executionArb(modelName, perturbation, fc.nat(1), POOL).map((ops) =>
    finish(ops.map((o, i) => (o.unknown ? { ...o, call: i - ops.length, client: `u${i}` } : o))),
  );
}
