/**
 * Jepsen operations on numbers for the `counter`, `set` and `fifo-queue` models, as Jepsen's
 * counter, set and queue workloads write them: `:add n` with `:read` returning the sum
 * (counter) or the members as a set or vector (set); `:enqueue n` and `:dequeue` returning the
 * head, nil when the queue was empty. Values are integers a double holds exactly.
 */
import type { CounterInput, CounterOutput } from '../../models/counter.js';
import type { FifoQueueInput, FifoQueueOutput } from '../../models/fifo-queue.js';
import type { SetInput, SetOutput } from '../../models/set.js';
import type { EdnNode } from '../edn-node.js';
import type { JepsenOp } from '../jepsen-history.js';
import type { JepsenCodec, JepsenFields } from './codec.js';

/** The integer an invocation adds or enqueues. */
function argument(op: JepsenOp, fields: JepsenFields): number | undefined {
  const node = fields.value(op.invocation, `the integer to ${op.f}`);
  return node === undefined ? undefined : fields.integer(node);
}

/** The `:value` of an `:ok` completion, or an error. */
function result(op: JepsenOp, fields: JepsenFields, what: string): EdnNode | undefined {
  return fields.value(op.completion!, what);
}

const ADD_READ = ['add', 'read'] as const;
const QUEUE = ['enqueue', 'dequeue'] as const;

export const counterCodec: JepsenCodec<CounterInput, CounterOutput> = {
  functions: ADD_READ,
  decode(op, fields) {
    if (op.f !== 'add' && op.f !== 'read') return fields.unknownF(op, ADD_READ);
    const unknown = op.outcome !== 'ok';
    if (op.f === 'add') {
      const value = argument(op, fields);
      return value === undefined ? undefined : { input: { f: 'add', value }, output: {}, unknown };
    }
    if (unknown) return { input: { f: 'read' }, output: {}, unknown };
    const node = result(op, fields, 'the sum read');
    const value = node === undefined ? undefined : fields.integer(node);
    return value === undefined ? undefined : { input: { f: 'read' }, output: { value }, unknown };
  },
  encode(input, output) {
    if (input.f === 'add')
      return { f: 'add', invokeValue: String(input.value), completeValue: String(input.value) };
    return { f: 'read', invokeValue: 'nil', completeValue: String(output.value ?? 'nil') };
  },
};

export const setCodec: JepsenCodec<SetInput, SetOutput> = {
  functions: ADD_READ,
  decode(op, fields) {
    if (op.f !== 'add' && op.f !== 'read') return fields.unknownF(op, ADD_READ);
    const unknown = op.outcome !== 'ok';
    if (op.f === 'add') {
      const value = argument(op, fields);
      return value === undefined ? undefined : { input: { f: 'add', value }, output: {}, unknown };
    }
    if (unknown) return { input: { f: 'read' }, output: {}, unknown };
    const node = result(op, fields, 'the members read');
    if (node === undefined) return undefined;
    if (node.kind !== 'set' && node.kind !== 'vector' && node.kind !== 'list')
      return fields.expected(node, ':value to be the members read, a set or vector of integers');
    const values: number[] = [];
    for (const item of node.items) {
      const v = fields.integer(item);
      if (v === undefined) return undefined;
      values.push(v);
    }
    return { input: { f: 'read' }, output: { values }, unknown };
  },
  encode(input, output) {
    if (input.f === 'add')
      return { f: 'add', invokeValue: String(input.value), completeValue: String(input.value) };
    return {
      f: 'read',
      invokeValue: 'nil',
      completeValue: `#{${(output.values ?? []).join(' ')}}`,
    };
  },
};

export const fifoQueueCodec: JepsenCodec<FifoQueueInput, FifoQueueOutput> = {
  functions: QUEUE,
  decode(op, fields) {
    if (op.f !== 'enqueue' && op.f !== 'dequeue') return fields.unknownF(op, QUEUE);
    const unknown = op.outcome !== 'ok';
    if (op.f === 'enqueue') {
      const value = argument(op, fields);
      return value === undefined
        ? undefined
        : { input: { f: 'enqueue', value }, output: {}, unknown };
    }
    if (unknown) return { input: { f: 'dequeue' }, output: { value: null }, unknown };
    const node = result(op, fields, 'the integer dequeued, or nil when empty');
    if (node === undefined) return undefined;
    const value =
      node.kind === 'nil' ? null : fields.integer(node, ':value to be an integer or nil');
    return value === undefined
      ? undefined
      : { input: { f: 'dequeue' }, output: { value }, unknown };
  },
  encode(input, output) {
    if (input.f === 'enqueue')
      return { f: 'enqueue', invokeValue: String(input.value), completeValue: String(input.value) };
    return { f: 'dequeue', invokeValue: 'nil', completeValue: String(output.value ?? 'nil') };
  },
};
