/**
 * The flags of `faultline check` as data: names, types, choices and defaults, with nothing
 * imported. The command's yargs builder declares its options from this table, and the start-up
 * fast path (`direct-parse.ts`) parses a plain command line with it without loading yargs, so the
 * two cannot disagree on what a flag is. Descriptions stay with the builder, which may need the
 * checker's modules to write them (the list of models).
 */
import type { FlagTable } from './direct-parse.js';

export const CHECK_FORMATS = ['auto', 'json', 'porcupine-kv', 'jepsen-etcd', 'edn'] as const;
export const CHECK_EXPORTS = ['edn'] as const;
export const CHECK_EVIDENCE = ['default', 'full'] as const;

export const CHECK_FLAGS = {
  model: { type: 'string' },
  format: { type: 'string', choices: CHECK_FORMATS, default: 'auto' },
  timeout: { type: 'string' },
  evidence: { type: 'string', choices: CHECK_EVIDENCE, default: 'default' },
  initial: { type: 'string' },
  independent: { type: 'boolean' },
  export: { type: 'string', choices: CHECK_EXPORTS },
  // Declared as `partition`: yargs reads `--no-partition` as partition=false, and in strict
  // mode an option named `no-partition` left `partition` unknown, so the flag was refused.
  partition: { type: 'boolean', default: true },
  json: { type: 'boolean' },
} as const satisfies FlagTable;
