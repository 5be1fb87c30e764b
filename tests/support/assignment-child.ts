import { createInterface } from 'node:readline';
import { connectMongo, disconnectMongo } from '@/server/db/mongo';
import { closeEmitter } from '@/server/realtime/emit';
import { closeQueues } from '@/server/queues';
import { closeRedis } from '@/server/redis';
import { drainQueue, requestAssignment } from '@/server/services/assignment/engine';
import { closeConfigEvents } from '@/server/tenancy/config-events';

/**
 * A separate process for the concurrency property test: reads JSON lines `{ slug, ids?, drain? }`
 * from stdin, asks the engine for an agent for each id (all at once) or drains, answers `{ ok }`.
 */
async function main() {
  await connectMongo();
  process.stdout.write('ready\n');
  for await (const line of createInterface({ input: process.stdin })) {
    if (!line.trim()) continue;
    const cmd = JSON.parse(line) as { slug: string; ids?: string[]; drain?: boolean };
    try {
      await Promise.all((cmd.ids ?? []).map((id) => requestAssignment(cmd.slug, id)));
      if (cmd.drain) await drainQueue(cmd.slug);
      process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
    } catch (err) {
      process.stdout.write(`${JSON.stringify({ ok: false, error: String(err) })}\n`);
    }
  }
  await Promise.allSettled([closeEmitter(), closeQueues(), closeConfigEvents(), closeRedis(), disconnectMongo()]);
}
void main();
