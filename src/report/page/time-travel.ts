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
  const out: NodeStates = new Array(model.nodeCount).fill(undefined);
  const s = model.states;
  for (let i = 0; i < s.t.length && (s.t[i] as number) <= t; i++)
    out[s.lane[i] as number] = JSON.parse(model.stateTexts[s.text[i] as number] as string);
  return out;
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
