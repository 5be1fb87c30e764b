import { describe, expect, it } from 'vitest';
import { evaluateRules, type RuleLike } from '@/server/services/routing/evaluate';

const rule = (id: string, conditions: RuleLike['conditions'], actions: RuleLike['actions'] = {}, enabled = true): RuleLike => ({ id, name: id, enabled, conditions, actions });
const ctx = { text: 'I want a REFUND for order 42', channel: 'whatsapp', language: 'es', attributes: { tier: 'VIP' }, branchId: 'b1', at: new Date('2026-01-12T15:00:00Z') };
const hours = { timezone: 'UTC', days: [{ day: 1, start: '09:00', end: '17:00' }] };

describe('routing rules', () => {
  it('the first enabled rule whose conditions all hold fires; later ones are not reached', () => {
    const rules = [
      rule('off', [], { priority: 'urgent' }, false),
      rule('instagram', [{ field: 'channel', op: 'equals', value: 'instagram' }]),
      rule('vip-refund', [
        { field: 'keyword', op: 'contains', value: ['refund', 'chargeback'] },
        { field: 'attribute', key: 'tier', op: 'in', value: ['vip', 'gold'] },
      ], { priority: 'high', requiredSkills: ['billing'] }),
      rule('catch-all', []),
    ];
    const out = evaluateRules(rules, ctx);
    expect(out.matched?.id).toBe('vip-refund');
    expect(out.results.map((r) => r.status)).toEqual(['disabled', 'skipped', 'fired', 'not_reached']);
    expect(out.results[1]!.conditions[0]!.reason).toBe('channel is "whatsapp", not "instagram"');
    expect(out.explanation).toBe('"vip-refund" fires: message contains "refund"; attribute "tier" is "vip".');
  });

  it('language, branch and business hours conditions; no rule fires -> says so', () => {
    const rules = [rule('es-after-hours', [
      { field: 'language', op: 'equals', value: 'es' },
      { field: 'branchId', op: 'equals', value: 'b1' },
      { field: 'businessHours', op: 'equals', value: 'closed' },
    ])];
    const open = evaluateRules(rules, { ...ctx, businessHours: hours });
    expect(open.matched).toBeNull();
    expect(open.results[0]!.conditions.map((c) => c.passed)).toEqual([true, true, false]);
    expect(open.results[0]!.conditions[2]!.reason).toBe('businessHours is "open", not "closed"');
    expect(open.explanation).toMatch(/^No rule fires/);
    expect(evaluateRules(rules, { ...ctx, businessHours: hours, at: new Date('2026-01-12T18:00:00Z') }).matched?.id).toBe('es-after-hours');
  });

  it('a missing attribute never matches', () => {
    const out = evaluateRules([rule('r', [{ field: 'attribute', key: 'plan', op: 'equals', value: 'pro' }])], ctx);
    expect(out.results[0]!.conditions[0]!.reason).toBe('attribute "plan" is nothing, not "pro"');
  });
});
