/**
 * Reads a scenario file and parses it; any problem becomes a UserError with exit code 65 that
 * names the file, line, column and field, never a stack trace. Protocols given as module paths
 * are imported first.
 */
import { readFileSync } from 'node:fs';
import { formatScenarioError, parseScenario, type Scenario } from '../scenario/index.js';
import { EXIT, UserError } from './exit-codes.js';
import { loadProtocolModules } from './protocol-module.js';

export interface LoadedScenario {
  readonly scenario: Scenario;
  readonly text: string;
}

export async function loadScenario(file: string): Promise<LoadedScenario> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(
      `${file}: cannot read scenario file (${code === 'ENOENT' ? 'no such file' : (code ?? String(e))})`,
      EXIT.dataError,
    );
  }
  return { scenario: await scenarioFromText(text, file), text };
}

/** Parses scenario text already read (workers get the text, not the path). */
export async function scenarioFromText(text: string, file: string): Promise<Scenario> {
  const protocolModules = await loadProtocolModules(text, file);
  const parsed = parseScenario(text, file, { protocolModules });
  if (!parsed.ok)
    throw new UserError(parsed.errors.map(formatScenarioError).join('\n'), EXIT.dataError);
  return parsed.scenario;
}
