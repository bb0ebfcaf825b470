/**
 * Exit codes, after Jepsen (0 valid, 1 invalid, 2 unknown) and sysexits (64 usage, 65 data,
 * 70 software). Scripts and CI read these, so they never change meaning.
 */
export const EXIT = {
  valid: 0,
  invalid: 1,
  unknown: 2,
  usage: 64,
  dataError: 65,
  internal: 70,
} as const;

export const EXIT_CODE_TABLE = `Exit codes:
  0   every check valid
  1   a property or invariant was violated (a finding)
  2   inconclusive: a budget ran out or nothing could be judged
  64  bad command-line flags
  65  bad scenario, result or history file
  70  internal error, including nondeterminism detected`;

/** A user error that ends the command with one message and an exit code, never a stack trace. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export function exitCodeFor(verdicts: Iterable<'valid' | 'invalid' | 'unknown'>): number {
  let code: number = EXIT.valid;
  for (const v of verdicts) {
    if (v === 'invalid') return EXIT.invalid;
    if (v === 'unknown') code = EXIT.unknown;
  }
  return code;
}
