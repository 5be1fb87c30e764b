import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileJournal, LOCK_FILE } from '../../src/journal/index.js';
import { openAndReplay, put, removeDir, tempDir } from './helpers.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeDir));
const newDir = () => {
  const d = tempDir('lock');
  dirs.push(d);
  return d;
};

async function tryOpen(dir: string) {
  const journal = createFileJournal(dir, () => {});
  for await (const _ of journal.open());
  return journal;
}

describe('data directory lock', () => {
  it('a second journal on the same directory fails with an error naming the directory', async () => {
    const dir = newDir();
    const first = await tryOpen(dir);
    const lock = fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8');
    expect(lock.split(' ')[0]).toBe(String(process.pid));
    await expect(tryOpen(dir)).rejects.toThrow(new RegExp(`${dir.replace(/[/\\.]/g, '\\$&')} is locked by running process ${process.pid}`));
    await first.commit([put('d', 'c', { _id: 1 })]);
    await first.close();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    const second = await tryOpen(dir);
    await second.close();
  });

  it('a live process holding the lock keeps it', async () => {
    const dir = newDir();
    // The lock of a process that is alive (our parent) must be respected, with its start time ...
    const lock = `${process.ppid} ${startTime(process.ppid)} token\n`;
    fs.writeFileSync(path.join(dir, LOCK_FILE), lock);
    await expect(tryOpen(dir)).rejects.toThrow(/locked by running process/);
    expect(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')).toBe(lock);
    // ... or without one (written where /proc does not exist).
    fs.writeFileSync(path.join(dir, LOCK_FILE), `${process.ppid} - token\n`);
    await expect(tryOpen(dir)).rejects.toThrow(/locked by running process/);
  });

  it('a recycled pid does not keep a stale lock: other start time, or our own pid not held by us', async () => {
    const dir = newDir();
    fs.writeFileSync(path.join(dir, LOCK_FILE), `${process.ppid} 1 token\n`); // same pid, older process
    const first = await tryOpen(dir);
    await first.close();
    // A container restarted with the server as the same pid again.
    fs.writeFileSync(path.join(dir, LOCK_FILE), `${process.pid} ${startTime(process.pid)} previous-life\n`);
    const second = await tryOpen(dir);
    await second.close();
  });

  it('takes over a stale lock left by a killed process', async () => {
    const dir = newDir();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    expect(deadPid).toBeGreaterThan(0);
    fs.writeFileSync(path.join(dir, LOCK_FILE), `${deadPid} killed\n`);
    const logs: string[] = [];
    const journal = createFileJournal(dir, (l) => logs.push(l));
    for await (const _ of journal.open());
    expect(logs.join('\n')).toContain(`stale lock of dead process ${deadPid}`);
    expect(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8').startsWith(`${process.pid} `)).toBe(true);
    await journal.close();
    expect(fs.readdirSync(dir).filter((n) => n.includes('lock'))).toEqual([]);
  });

  it('close() does not remove a lock that is no longer ours', async () => {
    const dir = newDir();
    const journal = await tryOpen(dir);
    fs.writeFileSync(path.join(dir, LOCK_FILE), `${process.ppid} other\n`);
    await journal.close();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(true);
  });

  it('releases the lock when the caller abandons replay', async () => {
    const dir = newDir();
    const { journal } = await openAndReplay(dir);
    await journal.commit([put('d', 'c', { _id: 1 })]);
    await journal.commit([put('d', 'c', { _id: 2 })]);
    await journal.close();
    const abandoned = createFileJournal(dir, () => {});
    for await (const _ of abandoned.open()) break;
    await expect(abandoned.commit([])).rejects.toThrow(/replay did not complete/);
    const again = await openAndReplay(dir);
    await again.journal.close();
    expect(again.batches.length).toBe(2);
  });
});

function startTime(pid: number): string {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
}
