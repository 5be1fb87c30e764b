import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';

/**
 * Runs once per `vitest run`: starts the embedded MongoDB-compatible server when MONGO_URI is unset
 * and gives every test run its own Redis key prefix, so runs never see each other's leftovers.
 */
export default async function setup(project: TestProject) {
  (process.env as Record<string, string>).NODE_ENV = 'test';
  process.env.REDIS_PREFIX ??= `test-${randomBytes(4).toString('hex')}`;
  let stop: (() => Promise<void>) | undefined;
  if (!process.env.MONGO_URI) {
    const { startEmbeddedMongo } = await import('embedded-mongo');
    const server = await startEmbeddedMongo({});
    process.env.MONGO_URI = server.uri;
    stop = () => server.stop();
  }
  project.provide('mongoUri', process.env.MONGO_URI!);
  project.provide('redisPrefix', process.env.REDIS_PREFIX);
  return async () => {
    await stop?.();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
    redisPrefix: string;
  }
}
