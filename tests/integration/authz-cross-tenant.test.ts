import { createHash } from 'node:crypto';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealtimeServer, type RealtimeServer } from '../../realtime/server';
import { platformModels } from '@/server/db/models/platform';
import { closeQueues } from '@/server/queues';
import { orgRoom } from '@/server/realtime/rooms';
import { mintRealtimeToken } from '@/server/realtime/token';
import { issueSession } from '@/server/services/identity/sessions';
import { tenantModels } from '@/server/tenancy/connections';
import { createInnerContext } from '@/server/trpc/context';
import { appRouter, createCaller } from '@/server/trpc/root';
import { isolateRedisPrefix } from '../helpers/prefix';
import { authzOrg, callPath as call, outcome, sampleInput, type AuthzOrg } from './authz-fixture';
import { startTenancy, stopTenancy } from './tenancy-helpers';

/**
 * Tenant isolation for EVERY procedure of the root router, enumerated from the router itself, so a
 * procedure added later is covered without anyone remembering. A real session cookie of org A:
 *   - on org B's host gets exactly what an anonymous visitor gets there (public facts, refusals);
 *   - on its own host, fed org B's ids, finds nothing of B;
 * and in both cases org B's data is unchanged. Sockets of A never land in B's rooms.
 */
let a: AuthzOrg;
let b: AuthzOrg;
let cookieA: string;

const procedures = Object.keys(appRouter._def.procedures).map((path) => [path] as const);

/** A digest of everything org B owns that a procedure could change. */
async function snapshotOf(t: AuthzOrg): Promise<string> {
  const m = tenantModels(t.slug);
  const parts = await Promise.all([
    m.User.find().sort({ _id: 1 }).lean(),
    m.Team.find().sort({ _id: 1 }).lean(),
    m.Branch.find().sort({ _id: 1 }).lean(),
    m.Conversation.find().sort({ _id: 1 }).lean(),
    m.ConversationMessage.countDocuments(),
    m.Message.find().sort({ _id: 1 }).lean(),
    m.Pin.countDocuments(),
    m.Channel.countDocuments(),
    m.RoutingRule.countDocuments(),
    m.AuditLog.countDocuments(),
    platformModels().Organization.findOne({ slug: t.slug }).select({ roles: 1, configVersion: 1, status: 1 }).lean(),
  ]);
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

beforeAll(async () => {
  isolateRedisPrefix('authz-xt');
  await startTenancy();
  [a, b] = await Promise.all([authzOrg('xa'), authzOrg('xb')]);
  const session = await issueSession(a.slug, a.users.Admin!.id);
  cookieA = session.cookies.map((c) => c.split(';')[0]).join('; ');
});

afterAll(async () => {
  await closeQueues();
  await stopTenancy();
});

describe('every procedure, a session of org A against org B', () => {
  it('enumerates the whole router', () => {
    expect(procedures.length).toBeGreaterThan(20);
    expect(procedures.map(([p]) => p)).toEqual(expect.arrayContaining(['admin.users.update', 'conversations.list', 'me.get']));
  });

  it("A's cookie on B's host gets no more than an anonymous visitor, for every procedure", async () => {
    const before = await snapshotOf(b);
    const ctxWithA = () => createInnerContext({ host: b.host, headers: new Headers({ host: b.host, cookie: cookieA }) });
    const anonymous = () => createInnerContext({ host: b.host, headers: new Headers({ host: b.host }) });
    for (const [path] of procedures) {
      const input = sampleInput(path, b);
      const [withA, anon] = [await outcome(call(ctxWithA(), path, input)), await outcome(call(anonymous(), path, input))];
      expect(withA, path).toBe(anon);
      if (withA === 'OK') {
        const strip = (v: unknown) => JSON.stringify(v, (k, x: unknown) => (k === 'at' ? undefined : x));
        expect(strip(await call(ctxWithA(), path, input)), path).toBe(strip(await call(anonymous(), path, input)));
      }
    }
    // Sanity: the same cookie works on A's own host, so the refusals above are about the tenant.
    const own = createInnerContext({ host: a.host, headers: new Headers({ host: a.host, cookie: cookieA }) });
    expect((await createCaller(own).me.get()).user.id).toBe(a.users.Admin!.id);
    expect(await snapshotOf(b)).toBe(before);
  });

  it("A's admin on A's host, given B's ids, finds and changes nothing of B", async () => {
    const before = await snapshotOf(b);
    const bIds = [b.slug, ...Object.values(b.users).map((u) => u.id), ...Object.values(b.teams), ...Object.values(b.branches), b.channelId];
    for (const [path] of procedures) {
      const ctx = createInnerContext({ host: a.host, headers: new Headers({ host: a.host, cookie: cookieA }) });
      let result: unknown;
      const got = await outcome(call(ctx, path, sampleInput(path, b)).then((r) => (result = r)));
      expect(['OK', 'NOT_FOUND', 'BAD_REQUEST', 'FORBIDDEN', 'CONFLICT'], `${path}: ${got}`).toContain(got);
      const text = JSON.stringify(result ?? null);
      for (const id of bIds) expect(text.includes(id), `${path} leaked ${id}`).toBe(false);
    }
    expect(await snapshotOf(b)).toBe(before);
  });
});

describe('sockets of org A and the rooms of org B', () => {
  let rt: RealtimeServer;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    rt = await startRealtimeServer(0);
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await rt.close();
  });

  const open = (token: string, originHost: string) => {
    const s = connect(`http://127.0.0.1:${rt.port}`, { transports: ['websocket'], reconnection: false, auth: { token }, extraHeaders: { origin: `http://${originHost}` } });
    sockets.push(s);
    return new Promise<Socket | string>((resolve) => {
      s.once('connect', () => resolve(s));
      s.once('connect_error', (err) => resolve(err.message));
    });
  };

  it("an A token joins only A's rooms, and cannot be used from B's pages", async () => {
    const token = await mintRealtimeToken({ userId: a.users.Admin!.id, slug: a.slug });
    expect(typeof (await open(token, b.host))).toBe('string'); // refused: B's origin
    const ok = await open(token, a.host);
    expect(typeof ok).not.toBe('string');
    expect(await rt.io.in(orgRoom(b.slug)).fetchSockets()).toHaveLength(0);
    const [mine] = await rt.io.in(orgRoom(a.slug)).fetchSockets();
    expect([...mine!.rooms].every((r) => r === mine!.id || r.startsWith(`${a.slug}:`))).toBe(true);
  });

  it("a token naming B with A's user id, or forged, is refused", async () => {
    // As /api/realtime/token mints them: with the session's issue time, checked against the user in B.
    const forged = await mintRealtimeToken({ userId: a.users.Admin!.id, slug: b.slug, sessionIssuedAt: Math.floor(Date.now() / 1000) });
    expect(typeof (await open(forged, b.host))).toBe('string'); // no such user in B
    expect(typeof (await open(`${forged.slice(0, -4)}AAAA`, b.host))).toBe('string');
  });
});
