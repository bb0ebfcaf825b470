/**
 * Scenario arguments that are glob patterns (`fuzz 'scenarios/raft-*.yaml'`, quoted so the shell
 * left it alone, or on a shell that does not expand globs) are expanded here with tinyglobby, in
 * sorted order; a path that names a file is taken as it is, even if it holds glob characters. A
 * pattern that matches nothing is an error naming it, as a missing file is.
 */
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { globSync, isDynamicPattern } from 'tinyglobby';
import { EXIT, UserError } from '../runner/exit-codes.js';

export function expandScenarioArgs(args: readonly string[]): string[] {
  return args.flatMap((arg) => {
    if (existsSync(arg) || !isDynamicPattern(arg)) return [arg];
    const files = globSync(arg, {
      absolute: isAbsolute(arg),
      expandDirectories: false,
      onlyFiles: true,
    }).sort();
    if (files.length === 0)
      throw new UserError(`${arg}: no scenario file matches this pattern`, EXIT.dataError);
    return files;
  });
}
