/**
 * faultline's own version, read from the package.json that ships beside dist/ (two folders up
 * from this file, in the build and in the source alike). yargs' `.version()` without an argument
 * looks for the package.json of the folder that holds node_modules, which for an installed
 * faultline is the host project's, and so printed the host's version.
 */
import { readFileSync } from 'node:fs';

export function ownVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  return String(pkg.version);
}
