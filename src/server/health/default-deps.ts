import { connectMongo } from '../db/mongo';
import { queue, QUEUE_KEYS } from '../queues';
import { redis } from '../redis';
import type { HealthDeps } from './service';

/** The process's real dependencies, for the route handler and the health page. */
export function defaultHealthDeps(): HealthDeps {
  return {
    redis: redis(),
    async pingMongo() {
      const conn = await connectMongo();
      const db = conn.db;
      if (!db) throw new Error('not connected');
      await db.command({ ping: 1 });
    },
    queues: () => QUEUE_KEYS.map((k) => queue(k)),
  };
}
