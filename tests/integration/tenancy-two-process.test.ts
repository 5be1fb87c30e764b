import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getEnv } from '@/server/env';
import { reactivateOrganization, suspendOrganization } from '@/server/tenancy/lifecycle';
import { setOrgSecrets } from '@/server/tenancy/org-settings';
import { provisionOrganization } from '@/server/tenancy/provisioning';
import { randomSlug, startTenancy, stopTenancy } from './tenancy-helpers';

type Line = { ready?: boolean; change?: boolean; event?: string; status?: string | null; token?: string | null; at: number };

const slug = randomSlug('twop');
const op = { type: 'superadmin' as const, email: 'ops@platform.test' };
let child: ChildProcess;
const lines: Line[] = [];
const waiters: Array<() => void> = [];

function waitFor(pred: (l: Line) => boolean, timeoutMs = 5000): Promise<Line> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const hit = lines.find(pred);
      if (hit) return (resolve(hit), true);
      return false;
    };
    if (check()) return;
    const timer = setTimeout(() => reject(new Error(`timed out; child said: ${JSON.stringify(lines)}`)), timeoutMs);
    waiters.push(() => check() && clearTimeout(timer));
  });
}

beforeAll(async () => {
  await startTenancy();
  await provisionOrganization({ slug, name: 'Two Process', firstAdmin: { email: 'admin@twop.io' } });
  await setOrgSecrets(slug, { 'twilio.authToken': 'token-before' }, op);
  const host = `${slug}.${getEnv().BASE_DOMAIN}`;
  child = spawn(process.execPath, ['--import', 'tsx', 'tests/integration/fixtures/tenancy-watcher.ts', host, slug], {
    env: { ...process.env, ORG_CACHE_TTL_MS: '600000' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  createInterface({ input: child.stdout! }).on('line', (raw) => {
    lines.push(JSON.parse(raw) as Line);
    for (const w of waiters) w();
  });
  const ready = await waitFor((l) => !!l.ready, 20_000);
  expect(ready).toMatchObject({ status: 'active', token: 'token-before' });
}, 40_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  await stopTenancy();
});

describe('a change made through one process is in force in another within one second', () => {
  it('suspension', async () => {
    const t0 = Date.now();
    await suspendOrganization(slug, op, 'two-process test');
    const seen = await waitFor((l) => !!l.change && l.status === 'suspended');
    expect(seen.at - t0).toBeLessThan(1000);
    console.log(`suspension visible in the other process after ${seen.at - t0} ms`);
  });

  it('a secret change', async () => {
    const t0 = Date.now();
    await setOrgSecrets(slug, { 'twilio.authToken': 'token-after' }, op);
    const seen = await waitFor((l) => !!l.change && l.token === 'token-after');
    expect(seen.at - t0).toBeLessThan(1000);
    console.log(`secret change visible in the other process after ${seen.at - t0} ms`);
  });

  it('reactivation', async () => {
    const t0 = Date.now();
    await reactivateOrganization(slug, op);
    const seen = await waitFor((l) => !!l.change && l.status === 'active' && l.at >= t0);
    expect(seen.at - t0).toBeLessThan(1000);
  });
});
