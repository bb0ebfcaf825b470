/**
 * One chalk instance for the whole CLI. chalk 5 ignores NO_COLOR, so it is honoured here: color
 * is off when NO_COLOR is set and non-empty or `--no-color` is given, unless `--color` forces it.
 * JSON output and files are never colored.
 */
import chalk, { Chalk, type ChalkInstance } from 'chalk';

let instance: ChalkInstance = chalk;

export function configureColor(flag: boolean | undefined): void {
  const noColorEnv = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  const level =
    flag === false || (noColorEnv && flag !== true)
      ? 0
      : flag === true
        ? Math.max(1, chalk.level)
        : chalk.level;
  instance = new Chalk({ level: level as 0 | 1 | 2 | 3 });
}

export const c = (): ChalkInstance => instance;
