/**
 * Durability for the embedded server: a journal with group commit, replay and compaction.
 * See file-journal.ts for what the engine must do around commit() and compact().
 */
import type { Journal } from '../contracts.js';
import { FileJournal } from './file-journal.js';

export { FileJournal, type JournalStats } from './file-journal.js';
export { LOCK_FILE } from './dir-lock.js';

export function createFileJournal(dir: string, log: (line: string) => void): Journal & FileJournal {
  return new FileJournal(dir, log);
}
