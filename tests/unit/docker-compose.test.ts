import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * docker-compose.yml is for users with Docker; no engine runs here. It must parse, hold the
 * services the platform needs with the settings the design asks for, and pass `docker compose
 * config` (or docker-compose v1) when one is installed.
 */
const file = readFileSync('docker-compose.yml', 'utf8');
type Service = { command?: string[]; environment?: Record<string, string>; depends_on?: Record<string, unknown>; healthcheck?: unknown; build?: unknown; image?: string };

describe('docker-compose.yml', () => {
  const doc = parse(file, { merge: true }) as { services: Record<string, Service> };

  it('defines mongo, redis, web, realtime, ingest and worker', () => {
    expect(Object.keys(doc.services).sort()).toEqual(['ingest', 'mongo', 'realtime', 'redis', 'web', 'worker']);
  });

  it('runs MongoDB as a single-node replica set and Redis with AOF and noeviction', () => {
    expect(doc.services.mongo?.command).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
    const redis = doc.services.redis?.command ?? [];
    expect(redis.join(' ')).toMatch(/--appendonly yes/);
    expect(redis.join(' ')).toMatch(/--maxmemory-policy noeviction/);
  });

  it('points the four app processes at those services and waits for them', () => {
    for (const name of ['web', 'realtime', 'ingest', 'worker']) {
      const svc = doc.services[name]!;
      expect(svc.environment?.MONGO_URI).toMatch(/^mongodb:\/\/mongo:27017\/\?replicaSet=rs0$/);
      expect(svc.environment?.REDIS_HOST).toBe('redis');
      expect(Object.keys(svc.depends_on ?? {})).toEqual(['mongo', 'redis']);
    }
    expect(doc.services.realtime?.command?.join(' ')).toMatch(/realtime\/index\.ts/);
    expect(doc.services.worker?.command?.join(' ')).toMatch(/worker\/index\.ts/);
    expect(doc.services.ingest?.command?.join(' ')).toMatch(/ingest\/index\.ts/);
  });

  const compose = ['docker compose', 'docker-compose']
    .map((cmd) => cmd.split(' '))
    .find(([bin, ...args]) => spawnSync(bin!, [...args, 'version'], { encoding: 'utf8' }).status === 0);

  it.runIf(compose)('is accepted by compose config', () => {
    const [bin, ...args] = compose!;
    const secrets = { SUPER_ADMIN_JWT_SECRET: 'x', REALTIME_TOKEN_SECRET: 'x', AUTH_SECRET: 'x', ENCRYPTION_KEYS: 'x', ENCRYPTION_ACTIVE_KEY_ID: 'x' };
    const res = spawnSync(bin!, [...args, '-f', 'docker-compose.yml', 'config', '-q'], { encoding: 'utf8', env: { ...process.env, ...secrets } });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
  }, 60_000);
});
