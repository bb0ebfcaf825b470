/**
 * Time travel: each node's state at a chosen moment, as the protocol summarises it
 * (`describeState`: role, term or epoch, log, commit and durable indexes). The trace records a
 * summary whenever it changes, so the state at `t` is each node's last summary at or before `t`;
 * a node with none yet has not booted, `null` means it was down.
 */
import type { ReportModel } from '../report-model.js';
import { el } from './panels.js';
import { formatUs } from './viewport.js';

type NodeStates = (Record<string, unknown> | null | undefined)[];

function statesAt(model: ReportModel, t: number): NodeStates {
  const last: number[] = new Array(model.nodeCount).fill(-1);
  const s = model.states;
  if (model.stateTexts.length === 0) return last.map(() => undefined);
  for (let i = 0; i < s.t.length && (s.t[i] as number) <= t; i++)
    last[s.lane[i] as number] = s.text[i] as number;
  return last.map((k) =>
    k < 0 ? undefined : (JSON.parse(model.stateTexts[k] ?? 'null') as NodeStates[number]),
  );
}

/** The panel: a table with a row per node and a column per summary field. */
export function timeTravelTable(model: ReportModel, t: number): HTMLElement {
  const states = statesAt(model, t);
  const fields = [
    ...new Set(states.flatMap((s) => (s === null || s === undefined ? [] : Object.keys(s)))),
  ];
  const rows = states.map((s, lane) =>
    el(
      'tr',
      { 'data-node': model.lanes[lane] ?? '' },
      el('td', {}, model.lanes[lane] ?? ''),
      ...(s === null || s === undefined
        ? [el('td', { colspan: String(Math.max(1, fields.length)) }, s === null ? 'down' : '—')]
        : fields.map((f) => el('td', {}, String(s[f] ?? '')))),
    ),
  );
  const caption =
    model.states.t.length === 0
      ? 'This protocol does not describe its state (describeState), or the trace has none.'
      : model.stateTexts.length === 0
        ? 'Loading the state summaries…'
        : `State of each node at ${formatUs(t)} (click the diagram to pick a moment).`;
  return el(
    'div',
    { id: 'time-travel', 'data-t': String(t) },
    el('div', { class: 'toolbar' }, caption),
    el(
      'table',
      {},
      el('tr', {}, el('th', {}, 'node'), ...fields.map((f) => el('th', {}, f))),
      ...rows,
    ),
  );
}
