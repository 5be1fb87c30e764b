/**
 * One server per data directory. The lock is a file holding the owner's pid, created atomically with
 * link() so it is never seen half-written. A lock whose pid is no longer alive (the owner was SIGKILLed)
 * is stale and is taken over.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export const LOCK_FILE = 'embedded-mongo.lock';

export interface DirLock {
  release(): void;
}

export function acquireDirLock(dir: string, log: (line: string) => void): DirLock {
  const lockPath = path.join(dir, LOCK_FILE);
  const token = `${process.pid} ${randomBytes(8).toString('hex')}\n`;
  const tmp = path.join(dir, `${LOCK_FILE}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  fs.writeFileSync(tmp, token);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        fs.linkSync(tmp, lockPath); // fails with EEXIST if anyone holds the lock
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw err;
      }
      const holder = readLock(lockPath);
      if (holder === undefined) continue; // vanished between link and read: retry
      const pid = Number.parseInt(holder, 10);
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new Error(
          `data directory ${dir} is locked by running process ${pid} (${lockPath}); ` +
            'another embedded-mongo server is using it. Stop that server or choose another dataDir.',
        );
      }
      // Stale: move it aside (atomic), and make sure what we moved is the stale lock we judged and not
      // a fresh one another starter put there in between.
      const aside = `${lockPath}.stale-${randomBytes(4).toString('hex')}`;
      try {
        fs.renameSync(lockPath, aside);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      const moved = readLock(aside);
      if (moved !== holder) {
        try {
          fs.linkSync(aside, lockPath); // give the fresh lock back
        } catch { /* someone else holds it now; our next link attempt fails and reports it */ }
        fs.rmSync(aside, { force: true });
        continue;
      }
      fs.rmSync(aside, { force: true });
      log(`embedded-mongo: took over stale lock of dead process ${Number.isInteger(pid) ? pid : JSON.stringify(holder)} in ${dir}`);
    }
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      // Only remove the lock if it is still ours.
      if (readLock(lockPath) === token) fs.rmSync(lockPath, { force: true });
    },
  };
}

function readLock(p: string): string | undefined {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}
