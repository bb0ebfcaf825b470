/**
 * `faultline report <result.json> --export shiviz`: the message exchange as a ShiViz log
 * (bestchai.bitbucket.io/shiviz), which draws it as a space-time diagram with vector clocks.
 * Each event is two lines, a description and `host {"host": clock, …}`, matching ShiViz's default
 * parser regular expression `(?<event>.*)\n(?<host>\S*) (?<clock>{.*})`. Vector clocks are
 * computed here: a send ticks the sender and travels with the message (by its trace id); a
 * receipt merges the message's clock and ticks the receiver; a drop ticks the host that saw it.
 * Streamed; memory holds one clock per message in flight.
 */
import { readNdjson } from '../ndjson-lines.js';
import type { Sink } from './perfetto.js';

type Clock = Record<string, number>;

interface Line {
  readonly t: number;
  readonly ev: string;
  readonly node?: string;
  readonly client?: string;
  readonly to?: string;
  readonly from?: string;
  readonly mid?: number;
  readonly copies?: number;
  readonly drop?: string;
  readonly cause?: string;
  readonly msg?: { readonly type?: unknown };
}

export function exportShiviz(tracePath: string, write: Sink): void {
  const clocks = new Map<string, Clock>();
  const inFlight = new Map<number, { clock: Clock; copies: number }>();
  const tick = (host: string): Clock => {
    const c = clocks.get(host) ?? {};
    c[host] = (c[host] ?? 0) + 1;
    clocks.set(host, c);
    return c;
  };
  const event = (host: string, text: string, c: Clock) =>
    write(`${text}\n${host} ${JSON.stringify(c)}\n`);
  readNdjson(tracePath, (v) => {
    const l = v as unknown as Line;
    if (l.ev === 'send' || l.ev === 'reply' || l.ev === 'invoke') {
      const from = (l.ev === 'invoke' ? l.client : l.node) as string;
      const to = (l.ev === 'send' ? l.to : l.ev === 'reply' ? l.client : l.node) as string;
      const c = tick(from);
      const label = l.ev === 'send' ? String(l.msg?.type ?? 'message') : l.ev;
      const copies = l.copies ?? 1;
      const fate = copies === 0 ? ` (dropped: ${l.drop})` : copies > 1 ? ' (duplicated)' : '';
      event(from, `t=${l.t} send ${label} #${l.mid} to ${to}${fate}`, c);
      if (copies > 0 && l.mid !== undefined) inFlight.set(l.mid, { clock: { ...c }, copies });
      return;
    }
    if (l.ev !== 'recv' && l.ev !== 'request' && l.ev !== 'drop') return;
    const host = (l.ev === 'recv' && l.client !== undefined ? l.client : l.node) as string;
    const sent = l.mid === undefined ? undefined : inFlight.get(l.mid);
    if (sent === undefined) return;
    if (--sent.copies === 0) inFlight.delete(l.mid as number);
    const c = tick(host);
    if (l.ev !== 'drop')
      for (const [h, n] of Object.entries(sent.clock))
        if (h !== host) c[h] = Math.max(c[h] ?? 0, n);
    const what = l.ev === 'drop' ? `drop #${l.mid} (${l.cause})` : `receive #${l.mid}`;
    event(host, `t=${l.t} ${what}`, c);
  });
}
