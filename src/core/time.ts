/**
 * Virtual time. Every instant and duration in the simulator is an integer number of
 * microseconds (`Micros`), so arithmetic is exact and traces never depend on float rounding.
 * Durations in scenario files are written for people ("150ms", "2s") and parsed here.
 */
import { assert } from './assert.js';

/** Integer microseconds of virtual time. */
export type Micros = number;

export const US_PER_MS = 1_000;
export const US_PER_S = 1_000_000;

const ms = (n: number): Micros => Math.round(n * US_PER_MS);
const seconds = (n: number): Micros => Math.round(n * US_PER_S);

const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s|m|min)?\s*$/;

/**
 * Parses "250us", "1.5ms", "2s", "1m" (or a bare number of milliseconds) into microseconds.
 * Returns undefined for anything else so callers can report the position of the bad value.
 */
export function parseDuration(text: string | number): Micros | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? ms(text) : undefined;
  const m = DURATION.exec(text);
  if (!m) return undefined;
  const value = Number(m[1]);
  switch (m[2]) {
    case 'us':
    case 'µs':
      return Math.round(value);
    case undefined:
    case 'ms':
      return ms(value);
    case 's':
      return seconds(value);
    case 'm':
    case 'min':
      return seconds(value * 60);
    default:
      return undefined;
  }
}

/** A compact human form: 1.234s, 12.5ms, 800us. */
export function formatDuration(us: Micros): string {
  assert(Number.isFinite(us), 'formatDuration of a non-finite value');
  const abs = Math.abs(us);
  if (abs >= US_PER_S) return `${trim(us / US_PER_S)}s`;
  if (abs >= US_PER_MS) return `${trim(us / US_PER_MS)}ms`;
  return `${us}us`;
}

function trim(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

/** A duration as scenario text, in the largest unit that keeps it exact: 2s, 1250ms, 37us. */
export function durationText(us: Micros): string {
  if (us % US_PER_S === 0) return `${us / US_PER_S}s`;
  if (us % US_PER_MS === 0) return `${us / US_PER_MS}ms`;
  return `${us}us`;
}
