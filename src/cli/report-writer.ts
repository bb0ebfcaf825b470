/**
 * Writes a seed's report folder: `result.json`, `history.json` and `trace.ndjson`. Every file is
 * written to a temporary name and renamed into place, so an interrupted run never leaves a
 * half-written report where a complete one stood.
 *
 * The folder is named after the scenario, made a safe file name whatever the name was. The
 * result records where the scenario file is relative to the folder, so `replay` and `shrink`
 * find it from any working directory (cli/result-file.ts). The history is written one operation
 * per line, never as one string (a long run's history is tens of MB of JSON); the trace stops
 * at TRACE_FILE_BYTES_MAX with a last line saying so.
 */
import { closeSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { stableStringify } from '../core/encoding.js';
import type { History } from '../core/history.js';
import type { RunResult } from '../run/run-result.js';
import { safeScenarioName } from '../scenario/index.js';

/**
 * A trace file's size at most. A shipped scenario's trace is a few MB; a run of twenty million
 * events (the default event limit) would write some 3 GB.
 */
const TRACE_FILE_BYTES_MAX = 512 * 1024 * 1024;

export function reportDir(outDir: string, scenarioName: string, seed: number): string {
  return join(outDir, safeScenarioName(scenarioName), String(seed));
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
  private total = 0;
  private lastLine = '';
  private truncated = false;

  constructor(
    readonly path: string,
    private readonly bytesMax = TRACE_FILE_BYTES_MAX,
  ) {
    this.tmp = `${path}.tmp-${process.pid}`;
    this.fd = openSync(this.tmp, 'w');
  }

  readonly write = (line: string): void => {
    if (this.truncated) return;
    if (this.total + line.length + 1 > this.bytesMax) return this.truncate();
    this.buffer.push(line);
    this.lastLine = line;
    this.bytes += line.length + 1;
    this.total += line.length + 1;
    if (this.bytes > 1 << 20) this.flush();
  };

  /** The last line: where the trace stopped, and why (its time is the last line's). */
  private truncate(): void {
    this.truncated = true;
    const t = Number(/^\{"t":(\d+)/.exec(this.lastLine)?.[1] ?? 0);
    const why = `the trace reached TRACE_FILE_BYTES_MAX (${this.bytesMax} bytes); the run went on`;
    this.buffer.push(JSON.stringify({ t, ev: 'truncated', why }));
    this.flush();
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    writeSync(this.fd, `${this.buffer.join('\n')}\n`);
    this.buffer = [];
    this.bytes = 0;
  }

  /** Closes the trace; `last` (the closing line with the run's trace hash) always goes in. */
  finish(last?: string): void {
    if (last !== undefined) this.buffer.push(last);
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
  // The closing line ties the trace to its result: the report draws a trace only when it matches.
  trace?.finish(JSON.stringify({ t: result.endUs, ev: 'end', traceHash: result.traceHash }));
  const relativeToReport = relative(resolve(dir), resolve(result.scenario.file));
  const scenario = { ...result.scenario, relativeToReport };
  writeHistory(
    join(dir, 'history.json'),
    { schemaVersion: 1, seed: result.seed, scenario },
    history,
  );
  writeJsonAtomic(join(dir, 'result.json'), { ...result, scenario });
}

/** `{ "operations": [ one per line ], …rest }`, keys in sorted order as stableStringify has them. */
function writeHistory(path: string, rest: Record<string, unknown>, history: History): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    let chunk = '{\n  "operations": [';
    history.forEach((op, i) => {
      chunk += `${i === 0 ? '' : ','}\n    ${stableStringify(op)}`;
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    });
    const tail = JSON.stringify(JSON.parse(stableStringify(rest)), null, 2).slice(1);
    writeSync(fd, `${chunk}${history.length === 0 ? '' : '\n  '}],${tail}\n`);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
