/**
 * A shard configuration's id, `s<shard>e<epoch>`: the namespace of the configuration's group
 * on a storage node (the prefix of its files, timers and messages, components/sub-node), the
 * name a node reports running, and the id the placement marks carry (placement-marks.ts). Read
 * back without a regular expression: a storage node parses every namespace on its disk at each
 * map it adopts, and the placement checker every mark of a run; a match array per name was the
 * largest allocation of an adoption.
 */

export const groupNamespace = (shard: number, epoch: number): string => `s${shard}e${epoch}`;

/** The shard and epoch of a group's namespace; undefined for any other name. */
export function parseNamespace(ns: string): { shard: number; epoch: number } | undefined {
  if (ns.charCodeAt(0) !== 0x73 /* s */) return undefined;
  const e = ns.indexOf('e', 1);
  const shard = digits(ns, 1, e);
  const epoch = digits(ns, e + 1, ns.length);
  return shard < 0 || epoch < 0 ? undefined : { shard, epoch };
}

/** The decimal number `s[from, to)` spells, or -1 when it is empty or not all digits. */
function digits(s: string, from: number, to: number): number {
  if (from < 1 || from >= to) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}
