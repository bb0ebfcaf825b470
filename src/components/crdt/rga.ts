/**
 * The Replicated Growable Array (Roh, Jeon, Kim, Lee 2011), a sequence CRDT for collaborative
 * text, in its state-based form. Every character is an element with a unique id — a Lamport
 * timestamp `(time, node)` one past the largest the replica has seen — and the id of the element
 * it was inserted after (null: at the start). The elements form a tree; the text is its preorder
 * walk with each element's children in descending id order, so a later insert at the same place
 * comes first, and concurrent inserts at one place are ordered the same way everywhere. A delete
 * leaves a tombstone (the removed id), since later inserts may be anchored to it. Merge is the
 * union of elements and of tombstones.
 *
 *   const t = rga();
 *   const a = t.apply(t.empty(), { f: 'insert', index: 0, text: 'ab' }, { node: 'n1' }).state;
 *   const b = t.apply(a, { f: 'insert', index: 1, text: 'X' }, { node: 'n2' }).state;
 *   const c = t.apply(a, { f: 'delete', index: 0 }, { node: 'n3' }).state;
 *   t.value(t.merge(b, c));                      // 'Xb'
 *
 * Indices outside the text are clamped to it, and the same clamping is in the specification.
 * Left out: tombstone collection, and Roh et al.'s operation-based delivery (s4vectors).
 */
import { assert } from '../../core/assert.js';
import type { NodeId } from '../../core/ids.js';
import { compareLamport, type LamportTimestamp } from '../clocks/lamport-clock.js';
import { asArray, asCount, asObject, asString, hashJson } from './codec.js';
import { isVisible, type CrdtType, type Json, type SpecUpdate } from './crdt-type.js';
import { firstDifference, unionSorted } from './sorted.js';

export type RgaOp =
  | { readonly f: 'insert'; readonly index: number; readonly text: string }
  | { readonly f: 'delete'; readonly index: number; readonly count?: number };

export interface RgaElement {
  readonly id: LamportTimestamp;
  /** The element this one was inserted after; null for the start of the text. */
  readonly after: LamportTimestamp | null;
  readonly char: string;
}

export interface RgaState {
  /** The largest id time in the state (the replica's Lamport clock). */
  readonly clock: number;
  /** Sorted by id. */
  readonly elements: readonly RgaElement[];
  /** Ids of deleted elements, sorted. */
  readonly removed: readonly LamportTimestamp[];
}

const EMPTY: RgaState = { clock: 0, elements: [], removed: [] };
const byId = (a: RgaElement, b: RgaElement) => compareLamport(a.id, b.id);
const idKey = (id: LamportTimestamp | null) => (id === null ? '' : `${id.time}@${id.node}`);

export function rga(): CrdtType<RgaState, RgaOp, string> {
  const encode = (s: RgaState): Json => ({
    clock: s.clock,
    elements: s.elements.map((e) => [...encodeId(e.id), ...encodeAnchor(e.after), e.char]),
    removed: s.removed.map(encodeId),
  });
  return {
    name: 'rga',
    empty: () => EMPTY,
    apply(state, op, ctx) {
      const delta = op.f === 'insert' ? insertDelta(state, op, ctx.node) : deleteDelta(state, op);
      return { state: merge(state, delta), delta };
    },
    merge,
    value: text,
    equals: (a, b) => a.clock === b.clock && diff(a, b) === undefined,
    hash: (s) => hashJson(encode(s)),
    diff: (a, b) =>
      diff(a, b) ?? (a.clock === b.clock ? undefined : `clock ${a.clock} vs ${b.clock}`),
    encode,
    decode,
    spec: specText,
  };
}

function merge(a: RgaState, b: RgaState): RgaState {
  return {
    clock: Math.max(a.clock, b.clock),
    elements: unionSorted(a.elements, b.elements, byId),
    removed: unionSorted(a.removed, b.removed, compareLamport),
  };
}

/** Elements in text order, tombstones included; cached, as states never change. */
const orders = new WeakMap<RgaState, readonly RgaElement[]>();

function documentOrder(s: RgaState): readonly RgaElement[] {
  const cached = orders.get(s);
  if (cached !== undefined) return cached;
  const children = new Map<string, RgaElement[]>();
  for (const e of s.elements) {
    const key = idKey(e.after);
    const list = children.get(key);
    if (list === undefined) children.set(key, [e]);
    else list.push(e);
  }
  const order: RgaElement[] = [];
  // Elements are sorted by id ascending, so popping each child list visits children by id
  // descending; an explicit stack keeps deep texts off the call stack.
  const stack: RgaElement[] = [...(children.get('') ?? [])];
  while (stack.length > 0) {
    const e = stack.pop() as RgaElement;
    order.push(e);
    stack.push(...(children.get(idKey(e.id)) ?? []));
  }
  orders.set(s, order);
  return order;
}

function visibleElements(s: RgaState): readonly RgaElement[] {
  if (s.removed.length === 0) return documentOrder(s);
  const removed = new Set(s.removed.map(idKey));
  return documentOrder(s).filter((e) => !removed.has(idKey(e.id)));
}

const text = (s: RgaState): string =>
  visibleElements(s)
    .map((e) => e.char)
    .join('');

const clamp = (n: number, max: number) => Math.max(0, Math.min(max, Math.trunc(n)));

function insertDelta(s: RgaState, op: { index: number; text: string }, node: NodeId): RgaState {
  const visible = visibleElements(s);
  const index = clamp(op.index, visible.length);
  let after = index === 0 ? null : (visible[index - 1] as RgaElement).id;
  const elements: RgaElement[] = [];
  for (const char of Array.from(op.text)) {
    const id = { time: s.clock + elements.length + 1, node };
    elements.push({ id, after, char });
    after = id;
  }
  return { clock: s.clock + elements.length, elements, removed: [] };
}

function deleteDelta(s: RgaState, op: { index: number; count?: number }): RgaState {
  const visible = visibleElements(s);
  const from = clamp(op.index, visible.length);
  const to = clamp(from + (op.count ?? 1), visible.length);
  const removed = visible.slice(from, to).map((e) => e.id);
  return { clock: 0, elements: [], removed: [...removed].sort(compareLamport) };
}

function diff(a: RgaState, b: RgaState): string | undefined {
  const show = (id: LamportTimestamp) => `${id.time}@${id.node}`;
  return (
    firstDifference(
      a.elements,
      b.elements,
      byId,
      (x, y) => (x.char === y.char && idKey(x.after) === idKey(y.after) ? undefined : 'differs'),
      (x) => `element ${show(x.id)} ${JSON.stringify(x.char)}`,
    ) ??
    firstDifference(
      a.removed,
      b.removed,
      compareLamport,
      () => undefined,
      (id) => `tombstone ${show(id)}`,
    )
  );
}

const encodeId = (id: LamportTimestamp): [number, string] => [id.time, id.node];
const encodeAnchor = (id: LamportTimestamp | null): [number, string] =>
  id === null ? [0, ''] : encodeId(id);

function decodeId(time: Json | undefined, node: Json | undefined): LamportTimestamp {
  return { time: asCount(time ?? null, 'rga id'), node: asString(node ?? null, 'rga id') };
}

function decode(j: Json): RgaState {
  const o = asObject(j, 'rga');
  const elements = asArray(o.elements ?? null, 'rga elements').map((e) => {
    const [time, node, afterTime, afterNode, char] = asArray(e, 'rga element');
    const after = afterTime === 0 ? null : decodeId(afterTime, afterNode);
    return { id: decodeId(time, node), after, char: asString(char ?? null, 'char') };
  });
  const removed = asArray(o.removed ?? null, 'rga tombstones').map((r) => {
    const [time, node] = asArray(r, 'rga tombstone');
    return decodeId(time, node);
  });
  return {
    clock: asCount(o.clock ?? null, 'rga clock'),
    elements: elements.sort(byId),
    removed: removed.sort(compareLamport),
  };
}

/**
 * The text by the specification, recomputed without the tree: each update is resolved against
 * the text made of the updates it had seen (its ids one past their largest, its index turned
 * into an anchor or into the ids it deletes), and inserts are placed one by one in id order by
 * Roh et al.'s rule: right after the anchor, past every element with a larger id. Quadratic in
 * the updates per update: meant for the few hundred edits of a simulated run.
 */
function specText(updates: readonly SpecUpdate<RgaOp>[]): string {
  const weight = (u: SpecUpdate<RgaOp>) => u.seen.entries().reduce((n, [, k]) => n + k, 0);
  const ordered = [...updates].sort((a, b) => weight(a) - weight(b));
  const resolved: { update: SpecUpdate<RgaOp>; state: RgaState }[] = [];
  for (const w of ordered) {
    const seen = resolved.filter((r) => isVisible(r.update, w)).map((r) => r.state);
    const before = referenceState(seen);
    const delta =
      w.op.f === 'insert' ? insertDelta(before, w.op, w.dot.node) : deleteDelta(before, w.op);
    resolved.push({ update: w, state: delta });
  }
  return referenceText(resolved.map((r) => r.state));
}

/** The deltas' elements and tombstones gathered, with the text placed by the reference rule. */
function referenceState(deltas: readonly RgaState[]): RgaState {
  const elements = deltas.flatMap((d) => d.elements).sort(byId);
  const removed = deltas.flatMap((d) => d.removed).sort(compareLamport);
  const clock = elements.reduce((max, e) => Math.max(max, e.id.time), 0);
  const state = { clock, elements, removed };
  orders.set(state, placeByInsertion(elements));
  return state;
}

const referenceText = (deltas: readonly RgaState[]): string => text(referenceState(deltas));

function placeByInsertion(byIdAscending: readonly RgaElement[]): RgaElement[] {
  const list: RgaElement[] = [];
  for (const e of byIdAscending) {
    const anchor = e.after === null ? -1 : list.findIndex((x) => idKey(x.id) === idKey(e.after));
    assert(e.after === null || anchor >= 0, 'rga spec: an insert after an element it never saw');
    let at = anchor + 1;
    while (at < list.length && compareLamport((list[at] as RgaElement).id, e.id) > 0) at++;
    list.splice(at, 0, e);
  }
  return list;
}
