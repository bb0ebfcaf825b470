/**
 * Seed flags: `--seed 42` or `--seeds 1..1000` (inclusive). A seed is a non-negative safe integer.
 */
import { EXIT, UserError } from './exit-codes.js';

export interface SeedRange {
  readonly from: number;
  readonly to: number;
}

export function parseSeed(text: string, flag: string): number {
  if (!/^\d+$/.test(text.trim()))
    throw new UserError(`${flag}: expected a non-negative integer, got "${text}"`, EXIT.usage);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new UserError(`${flag}: ${text} is too large`, EXIT.usage);
  return n;
}

export function parseSeedRange(text: string, flag = '--seeds'): SeedRange {
  const m = /^\s*(\d+)\s*\.\.\s*(\d+)\s*$/.exec(text);
  if (!m) throw new UserError(`${flag}: expected a range like 1..1000, got "${text}"`, EXIT.usage);
  const from = parseSeed(m[1] as string, flag);
  const to = parseSeed(m[2] as string, flag);
  if (to < from)
    throw new UserError(`${flag}: the range ${text} is empty (end before start)`, EXIT.usage);
  return { from, to };
}
