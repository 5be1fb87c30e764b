/**
 * Real crashes: a child process commits and compacts under load and is SIGKILLed at random moments;
 * after each kill the directory must replay cleanly (no batch lost, duplicated or reordered) and hold
 * every acknowledged commit.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BSON } from 'bson';
import { openAndReplay, removeDir, StrictModel, tempDir } from './helpers.js';

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'kill-child.ts');
const dir = tempDir('kill');
afterAll(() => removeDir(dir));

function runAndKill(run: number, killAfterMs: number, acked: Map<string, number>) {
  return new Promise<{ stderr: string }>((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, dir, String(run)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const lines = out.split('\n');
      out = lines.pop()!;
      for (const line of lines) {
        const [kind, id, v] = line.split(' ');
        if (kind === 'ready') timer ??= setTimeout(() => proc.kill('SIGKILL'), killAfterMs);
        else if (kind === 'ack') acked.set(id!, Math.max(acked.get(id!) ?? 0, Number(v)));
      }
    });
    proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`child exited with ${code}/${signal}: ${stderr}`));
      else resolve({ stderr });
    });
  });
}

describe('journal under SIGKILL', () => {
  it('every acknowledged commit survives repeated kills during commits and compactions', async () => {
    const acked = new Map<string, number>();
    const logs: string[] = [];
    const replayed: string[] = [];
    let newestSnapshot = '';
    for (let run = 0; run < 6; run++) {
      const { stderr } = await runAndKill(run, 300 + Math.floor(Math.random() * 900), acked);
      logs.push(stderr);
      const { journal, batches, logs: replayLogs } = await openAndReplay(dir);
      await journal.close();
      replayed.push(...replayLogs);
      newestSnapshot = fs.readdirSync(dir).filter((n) => n.startsWith('snapshot-')).sort().pop() ?? newestSnapshot;
      const model = new StrictModel(); // throws if a batch were replayed twice or out of order
      for (const op of batches.flat()) model.apply(op);
      const versions = new Map<string, number>();
      for (const docs of model.colls.values()) {
        for (const hex of docs.values()) {
          const doc = BSON.deserialize(Buffer.from(hex, 'hex'));
          versions.set(doc._id, doc.v);
        }
      }
      const missing = [...acked].filter(([id, v]) => (versions.get(id) ?? -1) < v);
      expect(missing.slice(0, 5), `run ${run}: ${missing.length} acknowledged commits lost; ${replayLogs.join(' | ')}`).toEqual([]);
      expect(replayLogs.filter((l) => /CORRUPTION|FAILED/.test(l))).toEqual([]);
    }
    console.log(`[journal kill] ${acked.size} acknowledged documents survived 6 kills; newest ${newestSnapshot}; replay logs:\n${replayed.join('\n')}`);
    expect(acked.size).toBeGreaterThan(1000);
    // The kills really left the lock behind, and compactions really ran between them.
    expect(replayed.filter((l) => l.includes('took over stale lock')).length).toBe(6);
    expect(newestSnapshot).toMatch(/snapshot-\d+\.bson/);
    expect(logs.join('')).not.toMatch(/FAILED|Error/);
  }, 60_000);
});
