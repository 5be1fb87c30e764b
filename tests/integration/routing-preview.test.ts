import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewRouting } from '@/server/services/routing/apply';
import { listRoutingRules, reorderRoutingRules, upsertRoutingRule } from '@/server/services/routing/rules';
import { setSlaPolicy } from '@/server/services/sla/policy';
import { createRedis } from '@/server/redis';
import { configChannel } from '@/server/tenancy/config-events';
import { tenantModels } from '@/server/tenancy/connections';
import { engineOrg } from '../support/assignment-fixtures';
import { startTenancy, stopTenancy } from './tenancy-helpers';

const actor = { id: 'system', email: 'ops@example.test' };
beforeAll(startTenancy);
afterAll(stopTenancy);

describe('routing rules: order and the "try a message" preview', () => {
  it('fires the first matching rule in the saved order, explains every rule, and follows a reorder', async () => {
    const { slug, teams } = await engineOrg();
    const vip = await upsertRoutingRule(slug, { name: 'VIP', order: 10, enabled: true, conditions: [{ field: 'attribute', key: 'tier', op: 'equals', value: 'vip' }], actions: { priority: 'high' } }, actor);
    const billing = await upsertRoutingRule(slug, { name: 'Billing', order: 20, enabled: true, conditions: [{ field: 'keyword', op: 'contains', value: ['invoice', 'refund'] }], actions: { teamId: teams[0]!, requiredSkills: ['billing'] } }, actor);
    await setSlaPolicy(slug, { firstResponseMinutes: 15, resolutionMinutes: 600, businessHours: { timezone: 'UTC', days: [{ day: 1, start: '09:00', end: '17:00' }] } }, actor);

    const msg = { text: 'Where is my invoice?', attributes: { tier: 'VIP' }, at: new Date('2026-01-12T10:00:00Z') };
    const first = await previewRouting(slug, msg);
    expect(first.matched?.name).toBe('VIP');
    expect(first.rules.map((r) => [r.name, r.status])).toEqual([['VIP', 'fired'], ['Billing', 'not_reached']]);
    expect(first.explanation).toBe('"VIP" fires: attribute "tier" is "vip".');

    await reorderRoutingRules(slug, [billing.id, vip.id], actor);
    expect((await listRoutingRules(slug)).map((r) => r.name)).toEqual(['Billing', 'VIP']);
    const second = await previewRouting(slug, msg);
    expect(second.matched).toMatchObject({ name: 'Billing', actions: { teamId: teams[0], requiredSkills: ['billing'] } });
    expect(second.rules[0]!.conditions[0]!.reason).toBe('message contains "invoice"');
  });
});

describe('routing rules: the per-process cache', () => {
  it('a rule saved by another process applies here once that process announces it', async () => {
    const { slug } = await engineOrg();
    const rule = await upsertRoutingRule(slug, { name: 'Refunds', order: 10, enabled: true, conditions: [{ field: 'keyword', op: 'contains', value: 'refund' }], actions: { priority: 'high' } }, actor);
    const msg = { text: 'I want a refund', at: new Date('2026-01-12T10:00:00Z') };
    expect((await previewRouting(slug, msg)).matched?.name).toBe('Refunds'); // now cached here

    // Another process disables the rule (its own write, then its announcement on org:config:updated).
    await tenantModels(slug).RoutingRule.updateOne({ _id: rule.id }, { $set: { enabled: false } });
    const other = createRedis();
    try {
      await other.publish(configChannel(), JSON.stringify({ slug, reason: 'routing.rules.changed', at: Date.now(), origin: 'another-process' }));
      await expect.poll(async () => (await previewRouting(slug, msg)).matched, { timeout: 2_000, interval: 50 }).toBeNull();
    } finally {
      other.disconnect();
    }
  });
});
