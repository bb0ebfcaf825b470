/**
 * Reading a history file for `faultline check`, whichever checker then parses it: the size is
 * refused past a named limit before the file is read (the readers hold it whole), and a file
 * that cannot be read is one line naming it and the system's reason, exit 65.
 */
import { readFileSync, statSync } from 'node:fs';
import { EXIT, UserError } from '../runner/exit-codes.js';

/** A history file larger than this is refused before it is read. */
const HISTORY_FILE_BYTES_MAX = 256 * 1024 * 1024;

export function readHistoryText(file: string): string {
  try {
    const bytes = statSync(file).size;
    if (bytes > HISTORY_FILE_BYTES_MAX)
      throw new UserError(
        `${file}: the history is ${bytes} bytes, more than this reader takes ` +
          `(HISTORY_FILE_BYTES_MAX, ${HISTORY_FILE_BYTES_MAX} bytes)`,
        EXIT.dataError,
      );
    return readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(
      `${file}: cannot read history file (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
      EXIT.dataError,
    );
  }
}
