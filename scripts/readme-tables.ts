/**
 * The README's named-bug tables, generated from the protocols' definitions so they cannot drift
 * from what the canaries test: one table per protocol between `<!-- bugs:<protocol> -->` and
 * `<!-- /bugs:<protocol> -->`. `npx tsx scripts/readme-tables.ts` rewrites them in README.md;
 * test/canary/readme-tables.test.ts fails while the README is stale.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CanaryDefinition, ProtocolDefinition } from '../src/core/protocol-definition.js';
import { PROTOCOLS } from '../src/protocols/registry.js';

const README = fileURLToPath(new URL('../README.md', import.meta.url));

const scenarioName = (file: string): string => file.replace(/^.*\//, '').replace(/\.ya?ml$/, '');

/** A canary's variants as rows: its scenario with `--option` flags, or why it has none. */
function variantRows(name: string, c: CanaryDefinition): string[][] {
  return (c.variants ?? []).map((v) => {
    const scenario = `${scenarioName(c.scenario)} ${v.options.map((o) => `+ ${o}`).join(' ')}`;
    return 'inexpressible' in v
      ? [`\`${name}\``, scenario, '—', c.checker, `not expressible: ${v.inexpressible}`, '—']
      : [
          `\`${name}\``,
          scenario,
          v.budget.toLocaleString('en-US'),
          v.checker ?? c.checker,
          v.measured,
          v.seeds.join(', '),
        ];
  });
}

/** A protocol's bugs as a markdown table, one row per canary and per variant of one. */
export function bugTable(p: ProtocolDefinition<unknown>): string {
  const rows = p.bugs.flatMap((b) =>
    b.canary === undefined
      ? []
      : [
          [
            `\`${b.name}\``,
            scenarioName(b.canary.scenario),
            b.canary.budget.toLocaleString('en-US'),
            b.canary.checker,
            b.canary.measured,
            b.canary.seeds.join(', '),
          ],
          ...variantRows(b.name, b.canary),
        ],
  );
  const head = ['bug', 'scenario', 'budget (seeds)', 'caught by', 'measured', 'CI seeds'];
  return alignedTable(head, rows, [false, false, true, false, false, true]);
}

/** A markdown table with its columns padded to one width, numbers right-aligned. */
function alignedTable(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  right: readonly boolean[],
): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const pad = (cell: string, i: number) =>
    right[i] === true ? cell.padStart(widths[i] as number) : cell.padEnd(widths[i] as number);
  const line = (cells: readonly string[]) => `| ${cells.map(pad).join(' | ')} |`;
  const rule = widths.map((w, i) => (right[i] === true ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w)));
  return [line(head), `| ${rule.join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** The README with every protocol's table regenerated between its markers. */
export function withBugTables(readme: string): string {
  let out = readme;
  for (const p of PROTOCOLS) {
    const open = `<!-- bugs:${p.name} -->`;
    const close = `<!-- /bugs:${p.name} -->`;
    const a = out.indexOf(open);
    const b = out.indexOf(close);
    if (a < 0 || b < a) continue;
    out = `${out.slice(0, a + open.length)}\n${bugTable(p)}\n${out.slice(b)}`;
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const tmp = `${README}.tmp`;
  writeFileSync(tmp, withBugTables(readFileSync(README, 'utf8')));
  renameSync(tmp, README);
  process.stdout.write(`wrote the bug tables of ${README}\n`);
}
