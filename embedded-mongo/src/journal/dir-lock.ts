/**
 * One server per data directory. The lock is a file holding the owner's pid (and, on Linux, the
 * process start time), created atomically with link() so it is never seen half-written. A lock whose
 * owner is gone (the server was SIGKILLed) is stale and is taken over. "Gone" also covers a recycled
 * pid: a different process start time, or our own pid when this process does not hold the lock (a
 * container restarts with the server as pid 1 again).
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export const LOCK_FILE = 'embedded-mongo.lock';

export interface DirLock {
  release(): void;
}

/** Directories locked by this process (real paths). */
const heldHere = new Set<string>();

export function acquireDirLock(dir: string, log: (line: string) => void): DirLock {
  const lockPath = path.join(dir, LOCK_FILE);
  const heldKey = fs.realpathSync(dir);
  const token = `${process.pid} ${processStartTime(process.pid) ?? '-'} ${randomBytes(8).toString('hex')}\n`;
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
      const [pidText, startText] = holder.split(' ');
      const pid = Number.parseInt(pidText ?? '', 10);
      if (Number.isInteger(pid) && pid > 0 && ownerAlive(pid, startText, heldHere.has(heldKey))) {
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
  heldHere.add(heldKey);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      heldHere.delete(heldKey);
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

function ownerAlive(pid: number, startTime: string | undefined, heldByThisProcess: boolean): boolean {
  if (pid === process.pid) return heldByThisProcess;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false; // EPERM: exists, not ours
  }
  const now = processStartTime(pid);
  if (startTime && startTime !== '-' && now !== undefined && now !== startTime) return false; // pid recycled
  return true;
}

/** Start time of a process in clock ticks since boot (Linux /proc), or undefined elsewhere. */
function processStartTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
