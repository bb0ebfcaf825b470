/**
 * Helpers for the models' `explain` sentences: each looks for one simple, checkable reason a
 * culprit is wrong (a write that completed before a read began and was never overwritten with
 * what the read returned; a value nothing wrote) and says it in the model's terms. Each returns
 * undefined when the reason is subtler; the evidence then falls back to a generic sentence.
 */
import type { ExplainContext, LinOp } from '../types.js';

/** Whether `o` may be linearized after `w` (it did not return before `w` was called). */
export const mayFollow = (o: LinOp<unknown, unknown>, w: LinOp<unknown, unknown>): boolean =>
  o.unknown || o.ret >= w.call;

/** A value for a sentence, shortened from the front when long (the recent end matters). */
function quote(v: string | null): string {
  if (v === null) return 'nil';
  return v.length <= 48 ? JSON.stringify(v) : `"…${v.slice(-40)}"`;
}

/**
 * For register-like models: the read returned `returned`, the last write certain to have
 * completed before it began wrote something else, and nothing that may come after that write
 * wrote `returned`; or nothing at all wrote it.
 */
export function staleRead<I, O>(
  ctx: ExplainContext<I, O>,
  readText: string,
  returned: unknown,
  written: (o: LinOp<I, O>) => { readonly value: unknown; readonly certain: boolean } | undefined,
  describe: (o: LinOp<I, O>) => string,
  show: (v: unknown) => string,
): string | undefined {
  const { before, concurrent, time } = ctx;
  const all = [...before, ...concurrent];
  const writes = (o: LinOp<I, O>) => written(o)?.value === returned;
  let last: LinOp<I, O> | undefined;
  for (const o of before) if (written(o)?.certain === true) last = o;
  if (last !== undefined) {
    const w = last;
    if (
      written(w)!.value !== returned &&
      !all.some((o) => o !== w && mayFollow(o, w) && writes(o))
    ) {
      return `${readText}, but ${describe(w)} completed at ${time(w.ret)} and nothing that could come after it wrote ${show(returned)}`;
    }
  } else if (returned !== null && !all.some(writes)) {
    return `${readText}, but nothing wrote ${show(returned)} before it returned`;
  }
  return undefined;
}

/**
 * For append-only values (kv, kv-list): the read misses a value appended before it began,
 * contains one nothing appended, or has two appends in an order real time rules out.
 */
export function appendRead<O>(
  ctx: ExplainContext<{ readonly f: string; readonly key: string; readonly value?: string }, O>,
  returned: string | null,
  has: (v: string, part: string) => number,
  parts: ((v: string) => readonly string[]) | undefined,
): string | undefined {
  const { culprit, before, concurrent, time } = ctx;
  const key = culprit.input.key;
  const readText = `get(${key}) returned ${quote(returned)} at ${time(culprit.ret)}`;
  const all = [...before, ...concurrent];
  // A put may reset the value: these simple reasons hold only without one.
  if (all.some((o) => o.input.f === 'put')) return undefined;
  const appends = before.filter((o) => o.input.f === 'append');
  // The latest append it misses: for a stale read, the one closest to the read tells most.
  const missed = appends.findLast((a) => returned === null || has(returned, a.input.value!) < 0);
  if (missed !== undefined) {
    return `${readText}, but append(${key}, ${quote(missed.input.value!)}) completed at ${time(missed.ret)} and the value returned does not contain it`;
  }
  if (returned !== null && parts !== undefined) {
    const written = new Set(all.filter((o) => o.input.f === 'append').map((o) => o.input.value!));
    const stray = parts(returned).find((p) => !written.has(p));
    if (stray !== undefined)
      return `${readText}, but nothing appended ${quote(stray)} to ${key} before it returned`;
  }
  if (returned !== null) {
    for (const a of appends) {
      for (const b of appends) {
        if (a.ret < b.call && has(returned, b.input.value!) < has(returned, a.input.value!)) {
          return `${readText}, but append(${key}, ${quote(a.input.value!)}) completed at ${time(a.ret)} before append(${key}, ${quote(b.input.value!)}) began at ${time(b.call)}, and the value returned has them the other way round`;
        }
      }
    }
  }
  return undefined;
}
