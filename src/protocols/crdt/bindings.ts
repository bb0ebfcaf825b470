/**
 * How a workload's operations meet a replicated data type: which types can take a workload's
 * operations, the type's operation for a client's update, and what a client's read returns from
 * a replica's state. One binding per workload (counter, set, register, text); the protocol
 * itself never looks inside a state.
 *
 * The register binding turns a put's context (the `n1:3` dots of the siblings its client read)
 * into the MV-Register's client context; an LWW-Register has no siblings, so it ignores it.
 */
import { assert } from '../../core/assert.js';
import type {
  CounterInput,
  RegisterInput,
  RegisterRead,
  ReplicatedInput,
  SetInput,
  TextInput,
} from '../../core/replicated-ops.js';
import { dotText, type Dot } from '../../components/clocks/dot.js';
import type { AnyCrdtType } from '../../components/crdt/crdt-type.js';
import type { Causal } from '../../components/crdt/dot-store.js';
import { type MvRegisterStore, siblingDots } from '../../components/crdt/mv-register.js';

export interface Binding {
  readonly workload: string;
  /** The types that take its operations, the natural one first. */
  readonly types: readonly string[];
  /** Per type, the operations of the workload it cannot take (a G-Counter cannot `dec`). */
  readonly cannot: Readonly<Record<string, readonly string[]>>;
  /** The type's operation for a client's update. */
  toCrdtOp(op: ReplicatedInput): unknown;
  /** What a client's read returns from a replica's state. */
  read(type: AnyCrdtType, state: unknown): unknown;
  /** Asserts what the binding relies on of an update's delta (its dot, for client contexts). */
  checkUpdate?(type: AnyCrdtType, delta: unknown, dot: Dot): void;
}

const counter: Binding = {
  workload: 'counter',
  types: ['pn-counter', 'g-counter'],
  cannot: { 'g-counter': ['dec'] },
  toCrdtOp: (op) => {
    const o = op as Exclude<CounterInput, { f: 'read' | 'get' }>;
    return { f: o.f, by: o.by };
  },
  read: (type, state) => type.value(state),
};

const set: Binding = {
  workload: 'set',
  types: ['or-set', '2p-set', 'g-set'],
  cannot: { 'g-set': ['remove'] },
  toCrdtOp: (op) => {
    const o = op as Exclude<SetInput, { f: 'read' | 'get' }>;
    return { f: o.f, element: o.element };
  },
  read: (type, state) => type.value(state),
};

/** `n1:3` back to a dot; the register's reads wrote it, so a bad one is a programmer error. */
function parseDot(text: string): Dot {
  const at = text.lastIndexOf(':');
  const counter = Number(text.slice(at + 1));
  assert(at > 0 && Number.isSafeInteger(counter) && counter > 0, () => `bad dot ${text}`);
  return { node: text.slice(0, at), counter };
}

const register: Binding = {
  workload: 'register',
  types: ['mv-register', 'lww-register'],
  cannot: {},
  toCrdtOp: (op) => {
    const o = op as Extract<RegisterInput, { f: 'put' }>;
    return { f: 'set', value: o.value, context: o.context.map(parseDot) };
  },
  // A client context names siblings by their register dots, and the specification by update
  // dots: the two agree because a node's register dots count its writes, as its updates do.
  checkUpdate(type, delta, dot) {
    if (type.name !== 'mv-register') return;
    const made = siblingDots(delta as Causal<MvRegisterStore>)[0];
    assert(
      made !== undefined && made.node === dot.node && made.counter === dot.counter,
      () => `mv-register: write ${dotText(dot)} got sibling dot ${made && dotText(made)}`,
    );
  },
  read(type, state): RegisterRead {
    if (type.name === 'lww-register') {
      const v = type.value(state) as unknown;
      return { values: v === null ? [] : [v], context: [] };
    }
    const dots = siblingDots(state as Causal<MvRegisterStore>);
    return { values: type.value(state) as readonly unknown[], context: dots.map(dotText) };
  },
};

const text: Binding = {
  workload: 'text',
  types: ['rga'],
  cannot: {},
  toCrdtOp: (op) => {
    const o = op as Exclude<TextInput, { f: 'read' | 'get' }>;
    return o.f === 'insert'
      ? { f: 'insert', index: o.index, text: o.text }
      : { f: 'delete', index: o.index, count: o.count };
  },
  read: (type, state) => type.value(state),
};

export const BINDINGS: readonly Binding[] = [counter, set, register, text];

/** The binding whose workload a type serves; every type the protocol accepts has one. */
export function bindingOfType(typeName: string): Binding {
  const b = BINDINGS.find((x) => x.types.includes(typeName));
  assert(b !== undefined, () => `crdt: no workload takes ${typeName}`);
  return b;
}

/** The types the protocol replicates: every type some workload takes. */
export const REPLICATED_TYPES: readonly string[] = BINDINGS.flatMap((b) => b.types);
