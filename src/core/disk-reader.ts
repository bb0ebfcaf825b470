/**
 * Read access to a disk as it is now (page cache included): what a node's context hands it, and
 * what the tools beside a node (backups, core/backup-tool.ts) read through. Its own file so both
 * the node contract and the backup tool can name it without importing each other.
 */

/** Read access to this node's disk, as it is now (page cache included). */
export interface DiskReader {
  /** File names in the directory, sorted. */
  list(): string[];
  /** Size in bytes, or undefined when the file does not exist. */
  size(file: string): number | undefined;
  /** Reads `length` bytes at `offset` (fewer at end of file). May fail under read faults. */
  read(file: string, offset?: number, length?: number): DiskReadResult;
}

export type DiskReadResult =
  | { readonly ok: true; readonly data: Uint8Array }
  | { readonly ok: false; readonly error: string };
