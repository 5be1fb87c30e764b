import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { SessionUser } from '@/server/auth/session';
import { disconnectMongo } from '@/server/db/mongo';
import { AppError } from '@/server/errors';
import { closeRedis } from '@/server/redis';
import { DEFAULT_ROLES } from '@/server/tenancy/default-roles';
import { createInnerContext } from '@/server/trpc/context';
import { createCallerFactory, router } from '@/server/trpc/init';
import { authedProcedure, can, publicProcedure, superAdminProcedure, tenantProcedure } from '@/server/trpc/procedures';
import { createCaller } from '@/server/trpc/root';
import { closeConfigEvents } from '@/server/tenancy/config-events';
import { createTestOrg } from '../helpers/orgs';

/**
 * The procedure ladder through createCaller (no HTTP): which host and which identity reach which
 * rung, and how service errors come out.
 */
let active: string;
let suspended: string;

const user = (role: string): SessionUser => ({ id: 'u1', email: 'u1@example.test', name: 'U1', role, teamIds: [], branchId: null });

// A router of one procedure per rung, as a feature router would declare them.
const ladder = router({
  pub: publicProcedure.query(() => 'pub'),
  tenant: tenantProcedure.query(({ ctx }) => ctx.org.slug),
  me: authedProcedure.query(({ ctx }) => ctx.user.id),
  editRouting: can('update', 'RoutingRule').input(z.strictObject({ name: z.string().min(1) })).mutation(({ input }) => input.name),
  conflict: publicProcedure.query(() => {
    throw new AppError('CONFLICT', 'Already exists');
  }),
  crash: publicProcedure.query(() => {
    throw new Error('secret internals');
  }),
  platform: superAdminProcedure.query(({ ctx }) => ctx.superAdmin.email),
});
const call = createCallerFactory(ladder);

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (err) {
    if (!(err instanceof TRPCError)) throw err;
    return err.code;
  }
}

beforeAll(async () => {
  const roles = DEFAULT_ROLES.map(({ name, level, permissions }) => ({ name, level, permissions }));
  active = await createTestOrg({ roles, appName: 'Ladder Co', primary: '#112233' });
  suspended = await createTestOrg({ roles, status: 'suspended' });
});

afterAll(async () => {
  await closeConfigEvents();
  await closeRedis();
  await disconnectMongo();
});

describe('procedure ladder', () => {
  it('public procedures answer on any host', async () => {
    expect(await createCaller(createInnerContext({ host: 'localhost' })).health.ping()).toMatchObject({ ok: true });
    expect(await call(createInnerContext({ host: 'nowhere.example' })).pub()).toBe('pub');
  });

  it('tenant procedures need a host that resolves to an active organisation', async () => {
    expect(await call(createInnerContext({ host: `${active}.localhost` })).tenant()).toBe(active);
    expect(await codeOf(call(createInnerContext({ host: 'unknown-org.localhost' })).tenant())).toBe('NOT_FOUND');
    expect(await codeOf(call(createInnerContext({ host: 'admin.localhost' })).tenant())).toBe('NOT_FOUND');
    expect(await codeOf(call(createInnerContext({ host: `${suspended}.localhost` })).tenant())).toBe('FORBIDDEN');
  });

  it('org.current returns the public configuration with the branding', async () => {
    const org = await createCaller(createInnerContext({ host: `${active}.localhost` })).org.current();
    expect(org.slug).toBe(active);
    expect(org.branding).toMatchObject({ appName: 'Ladder Co', colors: { primary: '#112233' } });
    expect(JSON.stringify(org)).not.toMatch(/dbName|secret/i);
  });

  it('authed procedures need a user; until sign-in exists (issue 5) HTTP requests have none', async () => {
    const host = `${active}.localhost`;
    expect(await codeOf(call(createInnerContext({ host })).me())).toBe('UNAUTHORIZED');
    expect(await call(createInnerContext({ host, user: user('Agent') })).me()).toBe('u1');
  });

  it('permission factories check the ability built from the organisation roles', async () => {
    const host = `${active}.localhost`;
    expect(await call(createInnerContext({ host, user: user('Admin') })).editRouting({ name: 'vip' })).toBe('vip');
    expect(await codeOf(call(createInnerContext({ host, user: user('Agent') })).editRouting({ name: 'vip' }))).toBe('FORBIDDEN');
    // An unknown role is an error, never an empty ability (DESIGN decision 7).
    expect(await codeOf(call(createInnerContext({ host, user: user('Ghost') })).me())).toBe('FORBIDDEN');
  });

  it('inputs are strict', async () => {
    const caller = call(createInnerContext({ host: `${active}.localhost`, user: user('Admin') }));
    expect(await codeOf(caller.editRouting({ name: 'x', extra: 1 } as never))).toBe('BAD_REQUEST');
    expect(await codeOf(caller.editRouting({ name: { $ne: '' } } as never))).toBe('BAD_REQUEST');
  });

  it('maps AppError codes once, and hides unknown errors', async () => {
    const caller = call(createInnerContext({ host: 'localhost' }));
    expect(await codeOf(caller.conflict())).toBe('CONFLICT');
    const err = await caller.crash().catch((e: unknown) => e as TRPCError);
    expect(err.code).toBe('INTERNAL_SERVER_ERROR');
  });

  it('the super-admin procedure lives on the platform host only and needs MFA', async () => {
    const admin = { id: 'sa', email: 'sa@platform.test', mfa: true };
    expect(await call(createInnerContext({ host: 'admin.localhost', superAdmin: admin })).platform()).toBe('sa@platform.test');
    expect(await codeOf(call(createInnerContext({ host: `${active}.localhost`, superAdmin: admin })).platform())).toBe('NOT_FOUND');
    expect(await codeOf(call(createInnerContext({ host: 'admin.localhost' })).platform())).toBe('UNAUTHORIZED');
    expect(await codeOf(call(createInnerContext({ host: 'admin.localhost', superAdmin: { ...admin, mfa: false } })).platform())).toBe('FORBIDDEN');
  });
});
