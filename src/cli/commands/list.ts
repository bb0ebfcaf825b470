/**
 * `faultline list`: what can go in a scenario file: protocols (with their options and named
 * bugs), workloads, faults and checkers, each with a one-line description.
 */
import { z } from 'zod';
import type { Argv } from 'yargs';
import { BUILTINS } from '../../scenario/registry.js';
import { workloadSchemaOf } from '../../scenario/schema/workload-schema.js';
import { c } from '../colors.js';

export const listBuilder = (y: Argv) =>
  y.option('json', { type: 'boolean', describe: 'print one JSON document on stdout' });

/** Storage faults are disk settings rather than actions a schedule names. */
const DISK_FAULTS = {
  name: 'disk faults',
  summary:
    'disk.faults: bit flips on read or write, latent sector errors, misdirected writes, fsync failures; bounded to some nodes and a budget per block',
  actions: [] as string[],
};

function optionDocs(schema: z.ZodType | undefined): Record<string, string> {
  if (schema === undefined) return {};
  const json = z.toJSONSchema(schema, { io: 'input' }) as {
    properties?: Record<string, { description?: string; default?: unknown }>;
  };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(json.properties ?? {})) {
    const text = v.description ?? '';
    const saysDefault = text.includes('(default');
    out[k] =
      v.default === undefined || saysDefault
        ? text
        : `${text} (default ${JSON.stringify(v.default)})`;
  }
  return out;
}

export function listCommand(args: { json?: boolean }): number {
  const doc = {
    protocols: BUILTINS.protocols.map((p) => ({
      name: p.name,
      summary: p.summary,
      workloads: p.workloads,
      roles: (p.roles ?? []).map((r) => ({ name: r.name, summary: r.summary })),
      options: optionDocs(p.optionsSchema),
      bugs: p.bugs.map((b) => ({ name: b.name, summary: b.summary })),
    })),
    workloads: BUILTINS.workloads.map((w) => ({
      name: w.name,
      summary: w.summary,
      options: optionDocs(workloadSchemaOf(w)),
      ...(w.model !== undefined ? { model: w.model.name } : {}),
    })),
    faults: [
      ...BUILTINS.faults.map((f) => ({
        name: f.name,
        summary: f.summary,
        actions: Object.keys(f.entry.actions),
        ...(f.nemesis !== undefined ? { nemesis: f.nemesis.summary } : {}),
      })),
      DISK_FAULTS,
    ],
    checkers: BUILTINS.checkers.map((ch) => ({
      name: ch.name,
      summary: ch.summary,
      appliesTo: ch.appliesTo,
    })),
  };
  if (args.json) {
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    return 0;
  }
  const k = c();
  const out: string[] = [];
  out.push(k.bold('protocols'));
  for (const p of doc.protocols) {
    out.push(`  ${k.cyan(p.name)}  ${p.summary}`);
    for (const r of p.roles) out.push(`    role ${r.name}: ${r.summary}`);
    for (const [name, d] of Object.entries(p.options)) out.push(`    option ${name}: ${d}`);
    for (const b of p.bugs) out.push(`    bug ${k.red(b.name)}: ${b.summary}`);
  }
  out.push(k.bold('workloads'));
  for (const w of doc.workloads) {
    out.push(`  ${k.cyan(w.name)}  ${w.summary}`);
    if (w.model !== undefined)
      out.push(`    model ${w.model} (what linearizability checks against)`);
    for (const [name, d] of Object.entries(w.options)) {
      if (name !== 'type') out.push(`    option ${name}: ${d}`);
    }
  }
  out.push(k.bold('faults'));
  for (const f of doc.faults) {
    out.push(`  ${k.cyan(f.name)}  ${f.summary}`);
    if (f.actions.length > 0) out.push(`    schedule entries: ${f.actions.join(', ')}`);
    if ('nemesis' in f) out.push(`    random nemesis: ${f.nemesis}`);
  }
  out.push(k.bold('checkers'));
  for (const ch of doc.checkers) {
    out.push(`  ${k.cyan(ch.name)}  ${ch.summary} (applies to ${ch.appliesTo})`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
