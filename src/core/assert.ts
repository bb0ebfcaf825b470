/**
 * Programmer-error assertions. They stay on in every build: the simulator exists to trip them,
 * and an assertion that fires inside a seeded run is a finding, reported with the seed.
 */
export class AssertionError extends Error {
  override readonly name = 'AssertionError';
}

export function assert(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) throw new AssertionError(typeof message === 'function' ? message() : message);
}
