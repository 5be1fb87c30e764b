import { spawnSync } from 'node:child_process';
import { describe, expect, it, vi } from 'vitest';
import { EnvError, parseEnv } from '@/server/env';

/** Bad configuration stops a process at start with a message naming the variable. */
describe('environment validation', () => {
  it('accepts an empty environment in development (dev defaults)', () => {
    const env = parseEnv({ NODE_ENV: 'development' });
    expect(env.PORT).toBe(3000);
    expect(env.ENCRYPTION_KEYS.get('dev1')).toHaveLength(32);
  });

  it.each([
    ['REDIS_PORT', 'not-a-number'],
    ['PORT', '70000'],
    ['MONGO_URI', 'postgres://x'],
    ['TRUST_PROXY', 'maybe'],
    ['REALTIME_PUBLIC_URL', 'not a url'],
    ['ENCRYPTION_KEYS', 'k1:short'],
  ])('names %s when it is malformed', (name, value) => {
    expect(() => parseEnv({ NODE_ENV: 'development', [name]: value })).toThrow(EnvError);
    expect(() => parseEnv({ NODE_ENV: 'development', [name]: value })).toThrow(new RegExp(`\\b${name}\\b`));
  });

  it('names the active key id when it has no key', () => {
    expect(() => parseEnv({ NODE_ENV: 'development', ENCRYPTION_ACTIVE_KEY_ID: 'nope' })).toThrow(/ENCRYPTION_ACTIVE_KEY_ID/);
  });

  it('requires real secrets in production and names each missing one', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    vi.resetModules();
    try {
      const { parseEnv: parseProd } = await import('@/server/env');
      let message = '';
      try {
        parseProd({ NODE_ENV: 'production' });
      } catch (err) {
        message = String(err);
      }
      for (const name of ['SUPER_ADMIN_JWT_SECRET', 'REALTIME_TOKEN_SECRET', 'AUTH_SECRET', 'ENCRYPTION_KEYS']) expect(message).toContain(name);
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });

  it('stops the worker process at start, naming the variable', () => {
    const res = spawnSync('node_modules/.bin/tsx', ['worker/index.ts'], {
      env: { ...process.env, NODE_ENV: 'development', REDIS_PORT: 'abc' },
      encoding: 'utf8',
      timeout: 55_000,
    });
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/REDIS_PORT/);
  }, 60_000); // a real process start: slow on a loaded machine
});
