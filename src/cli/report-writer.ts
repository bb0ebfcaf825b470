/**
 * Writes a seed's report folder: `result.json`, `history.json` and `trace.ndjson`. Every file is
 * written to a temporary name and renamed into place, so an interrupted run never leaves a
 * half-written report where a complete one stood.
 */
import { closeSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { stableStringify } from '../core/encoding.js';
import type { History } from '../core/history.js';
import type { RunResult } from '../run/run-result.js';

export function reportDir(outDir: string, scenarioName: string, seed: number): string {
  return join(outDir, scenarioName, String(seed));
}

function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(JSON.parse(stableStringify(value)), null, 2)}\n`);
  renameSync(tmp, path);
}

/** A trace file being streamed: buffered appends to a temp file, renamed on `finish`. */
export class TraceFile {
  private readonly tmp: string;
  private fd: number;
  private buffer: string[] = [];
  private bytes = 0;

  constructor(readonly path: string) {
    this.tmp = `${path}.tmp-${process.pid}`;
    this.fd = openSync(this.tmp, 'w');
  }

  readonly write = (line: string): void => {
    this.buffer.push(line);
    this.bytes += line.length;
    if (this.bytes > 1 << 20) this.flush();
  };

  private flush(): void {
    if (this.buffer.length === 0) return;
    writeSync(this.fd, `${this.buffer.join('\n')}\n`);
    this.buffer = [];
    this.bytes = 0;
  }

  finish(): void {
    this.flush();
    closeSync(this.fd);
    renameSync(this.tmp, this.path);
  }
}

export function writeReport(
  dir: string,
  result: RunResult,
  history: History,
  trace: TraceFile | undefined,
): void {
  mkdirSync(dir, { recursive: true });
  trace?.finish();
  writeJsonAtomic(join(dir, 'history.json'), {
    schemaVersion: 1,
    seed: result.seed,
    scenario: result.scenario,
    operations: history,
  });
  writeJsonAtomic(join(dir, 'result.json'), result);
}
