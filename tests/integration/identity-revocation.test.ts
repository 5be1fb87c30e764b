import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Proc } from '../../scripts/lib/procs';
import { POST as signIn } from '@/app/api/session/sign-in/route';
import { POST as realtimeToken } from '@/app/api/realtime/token/route';
import { suspendUser } from '@/server/services/identity/revocation';
import { freePort } from '../helpers/ports';
import { startRealtime } from '../helpers/processes';
import { cookieHeader, cookiesOf, orgWithUser, req } from './identity-helpers';
import { startTenancy, stopTenancy } from './tenancy-helpers';

/**
 * A user suspended through this process is signed out in another web process (real child) and
 * their socket on the realtime server (real child) is closed, each within one second.
 */
type Line = { ready?: boolean; change?: boolean; user: string | null; at: number };
let watcher: ChildProcess;
let realtime: Proc;
let socket: Socket;
let org: Awaited<ReturnType<typeof orgWithUser>>;
let cookie: string;
const lines: Line[] = [];
const waiters: Array<() => void> = [];

function waitFor(pred: (l: Line) => boolean, timeoutMs = 20_000): Promise<Line> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const hit = lines.find(pred);
      if (hit) resolve(hit);
      return !!hit;
    };
    if (check()) return;
    const timer = setTimeout(() => reject(new Error(`timed out; watcher said ${JSON.stringify(lines)}`)), timeoutMs);
    waiters.push(() => check() && clearTimeout(timer));
  });
}

beforeAll(async () => {
  await startTenancy();
  org = await orgWithUser({ prefix: 'idrev' });
  cookie = cookieHeader(
    cookiesOf(await signIn(req(org.host, '/api/session/sign-in', { body: { email: org.email, password: org.password } }))),
  );
  const port = await freePort();
  realtime = await startRealtime(port);
  watcher = spawn(
    process.execPath,
    ['--import', 'tsx', 'tests/integration/fixtures/identity-session-watcher.ts', org.host, org.slug, cookie],
    {
      env: process.env,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  createInterface({ input: watcher.stdout! }).on('line', (raw) => {
    lines.push(JSON.parse(raw) as Line);
    for (const w of waiters) w();
  });
  expect(await waitFor((l) => !!l.ready)).toMatchObject({ user: org.userId });

  // The socket is opened the way the browser does it: a token from /api/realtime/token.
  const tokenRes = await realtimeToken(req(org.host, '/api/realtime/token', { cookie }));
  expect(tokenRes.status).toBe(200);
  const { token } = (await tokenRes.json()) as { token: string };
  socket = connect(`http://127.0.0.1:${port}`, {
    transports: ['websocket'],
    reconnection: false,
    auth: { token },
    extraHeaders: { origin: `http://${org.host}:3000` },
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
}, 90_000);

afterAll(async () => {
  socket?.close();
  if (watcher && watcher.exitCode === null) {
    watcher.kill('SIGTERM');
    await new Promise((r) => watcher.once('exit', r));
  }
  await realtime?.stop();
  await stopTenancy();
});

it('suspending a user signs them out in another process and closes their socket within one second', async () => {
  const disconnected = new Promise<number>((resolve) => socket.once('disconnect', () => resolve(Date.now())));
  const t0 = Date.now();
  await suspendUser(org.slug, org.userId);
  const signedOut = await waitFor((l) => !!l.change && l.user === null);
  const socketClosedAt = await disconnected;
  console.log(`signed out in the other web process after ${signedOut.at - t0} ms; socket closed after ${socketClosedAt - t0} ms`);
  expect(signedOut.at - t0).toBeLessThan(1000);
  expect(socketClosedAt - t0).toBeLessThan(1000);
  // And the token route refuses to mint a new socket token for the old session.
  expect((await realtimeToken(req(org.host, '/api/realtime/token', { cookie }))).status).toBe(401);
});
