/**
 * Messages a pause held. A paused node keeps the messages that reach it and handles them all
 * the moment it resumes (world.ts), so the trace records their receipt at the resume and no
 * arrival time: a delivered copy whose receipt falls exactly on the end of a pause of its
 * receiver, and which was sent before that end, is one such. (Clogs need no inference: the send
 * line says `heldUntil`.)
 */
import { HELD_NONE, HELD_PAUSE, MSG_DELIVERED, type FaultSpan } from './report-model.js';

interface Writable {
  readonly to: number[];
  readonly sendUs: number[];
  readonly endUs: number[];
  readonly fate: number[];
  readonly held: number[];
  readonly heldUs: number[];
}

export function markPauseHeld(m: Writable, faults: readonly FaultSpan[]): void {
  const resumes = new Set<string>();
  for (const f of faults)
    if (f.kind === 'pause') for (const lane of f.lanes) resumes.add(`${lane}@${f.toUs}`);
  if (resumes.size === 0) return;
  for (let i = 0; i < m.fate.length; i++) {
    const end = m.endUs[i] as number;
    if (m.fate[i] !== MSG_DELIVERED || m.held[i] !== HELD_NONE) continue;
    if ((m.sendUs[i] as number) >= end || !resumes.has(`${m.to[i]}@${end}`)) continue;
    m.held[i] = HELD_PAUSE;
    m.heldUs[i] = end;
  }
}
