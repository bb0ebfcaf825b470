/**
 * Reads an NDJSON file one line at a time in fixed-size chunks, so a trace of a million events
 * (hundreds of MB) never sits in memory whole. A line that is not a JSON object is one
 * positioned message (`file:line: …`, exit 65), as every other bad input file is: a trace cut
 * short mid-line, or a file that is not a trace at all.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { EXIT, UserError } from '../runner/exit-codes.js';

const CHUNK_BYTES = 1 << 20;

export type LineVisitor = (value: Record<string, unknown>, line: number) => void;

export function readNdjson(path: string, visit: LineVisitor): number {
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(CHUNK_BYTES);
  const decoder = new TextDecoder();
  let carry = '';
  let line = 0;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK_BYTES, null);
      const text = carry + decoder.decode(buf.subarray(0, n), { stream: n > 0 });
      const parts = text.split('\n');
      carry = n > 0 ? (parts.pop() as string) : '';
      for (const part of parts) visitLine(path, part, ++line, visit);
      if (n === 0) break;
    }
  } finally {
    closeSync(fd);
  }
  return line;
}

function visitLine(path: string, text: string, line: number, visit: LineVisitor): void {
  if (text.trim() === '') return;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new UserError(`${path}:${line}:1: not a JSON line (${why})`, EXIT.dataError);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UserError(`${path}:${line}:1: expected a JSON object on each line`, EXIT.dataError);
  visit(value as Record<string, unknown>, line);
}
