/**
 * The checks on backup, disaster and restore entries that need the whole schedule
 * (faults/backup.ts resolves each entry alone): the protocol must offer backups (`backups: true`
 * in its definition), and each restore needs a backup to its target before it, and, to a time,
 * one taken at or before that time and no later than the restore itself.
 */
import type { AnyProtocolDefinition } from '../core/protocol-definition.js';
import { formatDuration, type Micros } from '../core/time.js';
import { TARGET_DEFAULT } from '../faults/backup.js';
import type { Registry } from './registry.js';
import type { ScenarioProblem } from './scenario-problem.js';
import type { ScenarioDocument } from './schema/scenario-schema.js';

const ACTIONS = ['backup', 'disaster', 'restore'] as const;

interface Entry {
  readonly index: number;
  readonly atUs: Micros;
  readonly action: (typeof ACTIONS)[number];
  readonly target: string;
  readonly timeUs: Micros | undefined;
}

export function checkBackups(
  doc: ScenarioDocument,
  protocol: AnyProtocolDefinition,
  registry: Registry,
  problems: ScenarioProblem[],
): void {
  const entries = backupEntries(doc);
  if (entries.length === 0) return;
  if (protocol.backups !== true) {
    const message = noBackups(protocol, registry);
    for (const e of entries)
      problems.push({ path: ['faults', 'schedule', e.index, e.action], message });
    return;
  }
  for (const r of entries.filter((e) => e.action === 'restore')) checkRestore(r, entries, problems);
}

function noBackups(protocol: AnyProtocolDefinition, registry: Registry): string {
  const takers = registry.protocols.filter((p) => p.backups === true).map((p) => p.name);
  const which = takers.length === 0 ? '' : ` (${takers.join(', ')})`;
  return `${protocol.name} offers no backups: backup, disaster and restore need a protocol with a storage engine whose definition says backups: true${which}`;
}

function checkRestore(r: Entry, entries: readonly Entry[], problems: ScenarioProblem[]): void {
  const path = ['faults', 'schedule', r.index];
  const when = formatDuration(r.atUs);
  // Entries of one instant run in file order.
  const before = entries.filter(
    (e) =>
      e.action === 'backup' &&
      e.target === r.target &&
      (e.atUs < r.atUs || (e.atUs === r.atUs && e.index < r.index)),
  );
  const first = before[0];
  if (first === undefined) {
    problems.push({
      path: [...path, 'restore'],
      message: `restore at ${when} from target ${r.target}, but no backup to ${r.target} comes before it: add one, e.g. { at: 1s, backup: n1, target: ${r.target}, every: 500ms }`,
    });
    return;
  }
  if (r.timeUs === undefined) return;
  if (r.timeUs > r.atUs)
    problems.push({
      path: [...path, 'time'],
      message: `restore to ${formatDuration(r.timeUs)} is after the restore itself at ${when}: a restore goes back in time`,
    });
  else if (r.timeUs < first.atUs)
    problems.push({
      path: [...path, 'time'],
      message: `restore to ${formatDuration(r.timeUs)} is before the first backup to ${r.target} at ${formatDuration(first.atUs)}: nothing was backed up by then`,
    });
}

function backupEntries(doc: ScenarioDocument): Entry[] {
  const out: Entry[] = [];
  doc.faults.schedule.forEach((entry, index) => {
    const e = entry as Readonly<Record<string, unknown>> & { readonly at: Micros };
    const action = ACTIONS.find((a) => typeof e[a] === 'string');
    if (action === undefined) return;
    const target = typeof e.target === 'string' ? e.target : TARGET_DEFAULT;
    const timeUs = typeof e.time === 'number' ? e.time : undefined;
    out.push({ index, atUs: e.at, action, target, timeUs });
  });
  return out;
}
