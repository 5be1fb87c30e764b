import { resetEnvForTests } from '@/server/env';

/**
 * Test files run in parallel and share this run's Redis prefix. Files whose assertions depend on
 * who else is on the queues or heartbeats (a worker of another file would take their jobs) take a
 * sub-prefix of their own; child processes inherit it through process.env.
 */
export function isolateRedisPrefix(name: string): string {
  const base = process.env.REDIS_PREFIX ?? 'test';
  process.env.REDIS_PREFIX = `${base}-${name}`;
  resetEnvForTests();
  return process.env.REDIS_PREFIX;
}
