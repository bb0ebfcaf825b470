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
import { type OptionOverride, readOptionOverride } from '../options/option-override.js';
import { loadProtocolModules } from './protocol-module.js';

export interface LoadedScenario {
  readonly scenario: Scenario;
  readonly text: string;
}

/** `options`: `--option KEY=VALUE` flags, as written, set over the file's protocol options. */
export async function loadScenario(
  file: string,
  options: readonly string[] = [],
): Promise<LoadedScenario> {
  const optionOverrides = readOptionFlags(options);
  const text = readScenarioFile(file);
  return { scenario: await scenarioFromText(text, file, optionOverrides), text };
}

/** The `--option` flags read, or one usage error (exit 64) naming every malformed one. */
export function readOptionFlags(options: readonly string[]): OptionOverride[] {
  const read = options.map(readOptionOverride);
  const bad = read.flatMap((r) => (r.ok ? [] : [r.message]));
  if (bad.length > 0) throw new UserError(bad.join('\n'), EXIT.usage);
  return read.flatMap((r) => (r.ok ? [r.override] : []));
}

/**
 * Parses scenario text already read (workers get the text, not the path). A problem with a
 * field an override set is the command line's: exit 64, not the file's 65.
 */
export async function scenarioFromText(
  text: string,
  file: string,
  optionOverrides: readonly OptionOverride[] = [],
): Promise<Scenario> {
  let parsed = parseScenario(text, file, { optionOverrides });
  if (!parsed.ok && parsed.protocolModule !== undefined) {
    const protocolModules = await loadProtocolModules(text, file);
    parsed = parseScenario(text, file, { protocolModules, optionOverrides });
  }
  if (!parsed.ok && parsed.overrideErrors !== undefined)
    throw new UserError(parsed.overrideErrors.join('\n'), EXIT.usage);
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
