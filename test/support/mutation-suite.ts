/**
 * Tests that test a checker (DESIGN §8): a checker's recorded cases must tell it apart from a
 * broken copy of it. Each mutant is the real checker behind a test-only wrapper that breaks one
 * rule the way a real mistake would (values compared as substrings, real time ignored, a crash
 * that makes the observer forget), usually by rewriting what the checker is given. The suite
 * asserts that the real checker gives every case its recorded verdict, and that for each mutant
 * at least one case gets a different verdict: if none does, that mistake would ship with every
 * checker test green, and the cases need one more.
 *
 * Left out: generating mutants automatically (Stryker-style). Hand-written mutants say which
 * mistake they stand for, and run in milliseconds.
 */
import { describe, expect, it } from 'vitest';

/** An input with the verdict the real checker must give it. */
export interface RecordedCase<I> {
  readonly name: string;
  readonly input: I;
  readonly verdict: string;
}

/** The real checker with one rule broken, as a verdict per input. */
export interface Mutant<I> {
  /** The mistake, completing "a broken copy that …". */
  readonly mistake: string;
  readonly judge: (input: I) => string;
}

/** Registers the suite: every case against the checker, then every mutant against the cases. */
export function mutationSuite<I>(
  name: string,
  judge: (input: I) => string,
  cases: readonly RecordedCase<I>[],
  mutants: readonly Mutant<I>[],
): void {
  describe(name, () => {
    it.each(cases)('gives $name its recorded verdict, $verdict', (c) => {
      expect(judge(c.input)).toBe(c.verdict);
    });

    it.each(mutants)('catches a broken copy that $mistake', (m) => {
      const killers = cases.filter((c) => m.judge(c.input) !== c.verdict).map((c) => c.name);
      expect(killers, `no recorded case tells the checker from one that ${m.mistake}`).not.toEqual(
        [],
      );
    });
  });
}
