/**
 * A scenario's name: it names the report folder (`reports/<name>/<seed>/`) and shrunk files
 * (`<name>-seed3.yaml`), so it must be a safe file name on every system: letters, digits, dot,
 * dash and underscore, starting with a letter or digit, and short enough that a folder path
 * built from it stays far below the 255 bytes a file name may have.
 */

/** Long enough for any descriptive name; far below a file system's 255-byte names. */
export const SCENARIO_NAME_MAX = 100;

export const SCENARIO_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * A safe name made from any text: a file's name, or a name read from a result file someone may
 * have edited. Other characters become dashes; what is left is cut to SCENARIO_NAME_MAX.
 */
export function safeScenarioName(text: string): string {
  const cleaned = text
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, SCENARIO_NAME_MAX);
  return cleaned === '' ? 'scenario' : cleaned;
}
