/**
 * The engine's file names, after LevelDB's (db/filename.cc): numbered WAL segments and tables
 * drawn from one counter (the manifest's `nextFile`), and the manifest with its temporary name.
 * Parsing them back is how recovery finds segments and orphans in the directory listing.
 */

export const MANIFEST = 'MANIFEST';
export const MANIFEST_TMP = 'MANIFEST.tmp';

const pad = (n: number): string => String(n).padStart(6, '0');

export const walFile = (n: number): string => `wal-${pad(n)}.log`;
export const tableFile = (n: number): string => `${pad(n)}.sst`;
export const tableTmpFile = (n: number): string => `${pad(n)}.sst.tmp`;

/** The file's number and kind, or undefined for a name the engine does not write. */
export function parseFileName(
  name: string,
): { kind: 'wal' | 'table' | 'tmp'; n: number } | undefined {
  const m = /^(?:wal-(\d{6,})\.log|(\d{6,})\.sst|(\d{6,})\.sst\.tmp)$/.exec(name);
  if (m === null) return undefined;
  if (m[1] !== undefined) return { kind: 'wal', n: Number(m[1]) };
  if (m[2] !== undefined) return { kind: 'table', n: Number(m[2]) };
  return { kind: 'tmp', n: Number(m[3]) };
}
