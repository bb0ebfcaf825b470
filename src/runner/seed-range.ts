/**
 * Seed flags: `--seed 42`, and `--seeds` as either a range `1..1000` (inclusive) or a count
 * `1000` (that many seeds from `--from`, default 1). `run` and `fuzz` accept both forms, and the
 * header line says which was meant, so `--seeds 1000` never silently means something else. A
 * seed is a non-negative safe integer.
 */
import { EXIT, UserError } from './exit-codes.js';

export interface SeedRange {
  readonly from: number;
  readonly to: number;
}

/** A seed range and how the `--seeds` text was read. */
export interface SeedsFlag {
  readonly range: SeedRange;
  /** For the header line: `--seeds 1000: a count, from 1` or `--seeds 5..9: a range`. */
  readonly meant: string;
}

export function parseSeed(text: string, flag: string): number {
  if (!/^\d+$/.test(text.trim()))
    throw new UserError(`${flag}: expected a non-negative integer, got "${text}"`, EXIT.usage);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new UserError(`${flag}: ${text} is too large`, EXIT.usage);
  return n;
}

function parseSeedRange(text: string, flag = '--seeds'): SeedRange {
  const m = /^\s*(\d+)\s*\.\.\s*(\d+)\s*$/.exec(text);
  if (!m)
    throw new UserError(
      `${flag}: expected a range like 1..1000 or a count like 1000, got "${text}"`,
      EXIT.usage,
    );
  const from = parseSeed(m[1] as string, flag);
  const to = parseSeed(m[2] as string, flag);
  if (to < from)
    throw new UserError(`${flag}: the range ${text} is empty (end before start)`, EXIT.usage);
  return { from, to };
}

/**
 * `--seeds A..B` or `--seeds N`; `from` (the `--from` text) applies to a count only, and is an
 * error beside a range, where it would be ignored.
 */
export function parseSeedsFlag(text: string, from: string | undefined): SeedsFlag {
  const flag = '--seeds';
  if (text.includes('..')) {
    if (from !== undefined)
      throw new UserError(
        `--from: a range (${text.trim()}) already says where it starts; --from goes with a count`,
        EXIT.usage,
      );
    return { range: parseSeedRange(text, flag), meant: `${flag} ${text.trim()}: a range` };
  }
  if (!/^\s*\d+\s*$/.test(text)) parseSeedRange(text, flag); // the message for neither form
  const count = parseSeed(text, flag);
  if (count < 1) throw new UserError(`${flag}: expected at least 1 seed, got ${text}`, EXIT.usage);
  const first = from === undefined ? 1 : parseSeed(from, '--from');
  if (!Number.isSafeInteger(first + count - 1))
    throw new UserError(`${flag}: ${first} + ${count} seeds is past the largest seed`, EXIT.usage);
  return {
    range: { from: first, to: first + count - 1 },
    meant: `${flag} ${count}: a count, from ${first}`,
  };
}
