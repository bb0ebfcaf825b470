/**
 * A problem with a scenario file, located for a person: the file, the 1-based line and column,
 * and the field path (`faults.schedule.1.crash`). The CLI prints these one per line, the same
 * shape compilers use, so editors and terminals make them clickable (DESIGN §6).
 */

export interface ScenarioError {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** Dotted field path, e.g. `faults.schedule.1.crash`; empty for the document as a whole. */
  readonly path: string;
  readonly message: string;
}

/** `file:line:col path: message`, or `file:line:col message` when the path is empty. */
export function formatScenarioError(e: ScenarioError): string {
  const where = `${e.file}:${e.line}:${e.column}`;
  return e.path === '' ? `${where} ${e.message}` : `${where} ${e.path}: ${e.message}`;
}
