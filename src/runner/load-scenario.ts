/**
 * Reads a scenario file and parses it; any problem becomes a UserError with exit code 65 that
 * names the file, line, column and field, never a stack trace. The file is read only up to
 * SCENARIO_BYTES_MAX (a pipe or a device never ends, a 10 GB file is not a scenario), and a
 * file with a thousand mistakes is reported by its first twenty and a count.
 *
 * A protocol named by module path is imported only once the rest of the file has been read
 * without a problem, and the file is parsed again with it: a malformed file is never handed
 * to anything but the bounded parser.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import {
  formatScenarioError,
  parseScenario,
  SCENARIO_BYTES_MAX,
  type ParseScenarioResult,
  type Scenario,
} from '../scenario/index.js';
import { EXIT, UserError } from './exit-codes.js';
import { loadProtocolModules } from './protocol-module.js';

export interface LoadedScenario {
  readonly scenario: Scenario;
  readonly text: string;
}

export async function loadScenario(file: string): Promise<LoadedScenario> {
  const text = readScenarioFile(file);
  return { scenario: await scenarioFromText(text, file), text };
}

/** Parses scenario text already read (workers get the text, not the path). */
export async function scenarioFromText(text: string, file: string): Promise<Scenario> {
  let parsed = parseScenario(text, file);
  if (!parsed.ok && parsed.protocolModule !== undefined) {
    const protocolModules = await loadProtocolModules(text, file);
    parsed = parseScenario(text, file, { protocolModules });
  }
  if (!parsed.ok) throw new UserError(errorText(parsed, file), EXIT.dataError);
  return parsed.scenario;
}

function errorText(parsed: Extract<ParseScenarioResult, { ok: false }>, file: string): string {
  const lines = parsed.errors.map(formatScenarioError);
  const omitted = parsed.errorsOmitted ?? 0;
  if (omitted > 0)
    lines.push(
      `${file}: ${omitted} more problems not shown (the first ${parsed.errors.length} are listed)`,
    );
  return lines.join('\n');
}

/** The file's text, read to at most SCENARIO_BYTES_MAX bytes. */
export function readScenarioFile(file: string): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw cannotRead(file, e);
  }
  try {
    const buffer = Buffer.alloc(SCENARIO_BYTES_MAX + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > SCENARIO_BYTES_MAX) throw tooBig(file, fstatSync(fd).size);
    return buffer.toString('utf8', 0, length);
  } catch (e) {
    throw e instanceof UserError ? e : cannotRead(file, e);
  } finally {
    closeSync(fd);
  }
}

function tooBig(file: string, size: number): UserError {
  const bytes = size > SCENARIO_BYTES_MAX ? `${size} bytes` : 'endless';
  const limit = `SCENARIO_BYTES_MAX, ${SCENARIO_BYTES_MAX} bytes`;
  const message = `${file}:1:1 the file is ${bytes}, more than a scenario may be (${limit})`;
  return new UserError(message, EXIT.dataError);
}

function cannotRead(file: string, e: unknown): UserError {
  const code = (e as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : (code ?? String(e));
  return new UserError(`${file}: cannot read scenario file (${why})`, EXIT.dataError);
}
