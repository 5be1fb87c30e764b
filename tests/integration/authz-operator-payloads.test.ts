import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getEnv } from '@/server/env';
import { closeQueues } from '@/server/queues';
import { tenantModels } from '@/server/tenancy/connections';
import { createInnerContext } from '@/server/trpc/context';
import { appRouter } from '@/server/trpc/root';
import { isolateRedisPrefix } from '../helpers/prefix';
import { authzOrg, callPath, outcome, sampleInput, type AuthzOrg } from './authz-fixture';
import { startTenancy, stopTenancy } from './tenancy-helpers';

/**
 * `$`-operator payloads in every input of every procedure (enumerated from the router) are refused by
 * the strict zod schemas with BAD_REQUEST, as the Admin (who passes every permission check, so the
 * input parser is what answers), and nothing changes.
 */
let o: AuthzOrg;
const OPERATORS: unknown[] = [{ $ne: null }, { $gt: '' }, { $regex: '.*' }, { $where: 'sleep(100)' }, { $in: [] }];
const COMMON_KEYS = ['id', 'name', 'email', 'role', 'conversationId', 'teamId', 'search', 'actor', 'action', 'text', 'content'];

/** Every variant: the whole input an operator, each leaf of the sample replaced, an extra `$` key. */
function payloads(sample: unknown): unknown[] {
  const out: unknown[] = [...OPERATORS, Object.fromEntries(COMMON_KEYS.map((k) => [k, { $ne: null }]))];
  const walk = (value: unknown, replace: (v: unknown) => unknown) => {
    if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        for (const op of OPERATORS) out.push(replace(structuredClone({ ...(value as object), [k]: op })));
        walk(v, (nv) => replace({ ...(value as object), [k]: nv }));
      }
      out.push(replace({ ...(value as object), $where: '1' }));
    }
  };
  walk(sample, (v) => v);
  return out;
}

async function state() {
  const m = tenantModels(o.slug);
  return JSON.stringify(
    await Promise.all([m.User.find().sort({ _id: 1 }).lean(), m.Team.find().lean(), m.Conversation.find().sort({ _id: 1 }).lean(), m.Message.countDocuments(), m.RoutingRule.countDocuments()]),
  );
}

beforeAll(async () => {
  isolateRedisPrefix('authz-ops');
  await startTenancy();
  o = await authzOrg('op');
});

afterAll(async () => {
  await closeQueues();
  await stopTenancy();
});

describe('operator payloads', () => {
  it('every procedure refuses `$` operators wherever a value is expected', async () => {
    const before = await state();
    let tried = 0;
    // Two identities between them pass every gate: the tenant's Admin and a super admin with MFA.
    const contexts = [
      () => createInnerContext({ host: o.host, user: o.users.Admin! }),
      () => createInnerContext({ host: getEnv().PLATFORM_HOST, superAdmin: { id: new Types.ObjectId().toHexString(), email: 'sa@op.test', mfa: true } }),
    ];
    for (const path of Object.keys(appRouter._def.procedures)) {
      for (const ctx of contexts) {
        // A gate that refuses this identity outright refuses every payload the same way; a reachable
        // procedure must refuse every payload at its input schema.
        const gate = await outcome(callPath(ctx(), path, undefined));
        const want = ['NOT_FOUND', 'UNAUTHORIZED', 'FORBIDDEN'].includes(gate) ? gate : 'BAD_REQUEST';
        for (const input of payloads(sampleInput(path, o))) {
          expect(await outcome(callPath(ctx(), path, input)), `${path} ${JSON.stringify(input)}`).toBe(want);
          if (want === 'BAD_REQUEST') tried++;
        }
      }
    }
    expect(tried).toBeGreaterThan(200);
    expect(await state()).toBe(before);
  });
});
