import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeEmitter } from '@/server/realtime/emit';
import { closeQueues, queue } from '@/server/queues';
import { onConversationReady } from '@/server/services/assignment/ready';
import { checkSlaBreach } from '@/server/services/sla/breach';
import { setSlaPolicy } from '@/server/services/sla/policy';
import { upsertRoutingRule } from '@/server/services/routing/rules';
import { tenantModels } from '@/server/tenancy/connections';
import { assigneeOf, engineOrg, makeAgent, makeConversation } from '../support/assignment-fixtures';
import { startTenancy, stopTenancy } from './tenancy-helpers';

const actor = { id: 'system', email: 'ops@example.test' };
beforeAll(startTenancy);
afterAll(async () => {
  await Promise.allSettled([closeEmitter(), closeQueues()]);
  await stopTenancy();
});

describe('SLA', () => {
  it('a ready conversation is routed, gets due times per priority and team, and a breach notifies agent and team lead once', async () => {
    const { slug, teams } = await engineOrg();
    const lead = await makeAgent(slug, { role: 'Team Lead', capacity: 0, teamIds: [teams[1]!] });
    await tenantModels(slug).Team.updateOne({ _id: teams[1] }, { $set: { leadIds: [lead] } });
    const agent = await makeAgent(slug, { skills: ['billing'], teamIds: [teams[1]!], presence: 'online' });
    await upsertRoutingRule(slug, { name: 'refunds', order: 1, enabled: true, conditions: [{ field: 'keyword', op: 'contains', value: 'refund' }], actions: { teamId: teams[1]!, requiredSkills: ['billing'], priority: 'urgent', labels: ['refund'] } }, actor);
    await setSlaPolicy(slug, { firstResponseMinutes: 30, resolutionMinutes: 600, targets: [{ priority: 'urgent', teamId: teams[1]!, firstResponseMinutes: 5, resolutionMinutes: 60 }] }, actor);

    const id = await makeConversation(slug);
    await tenantModels(slug).ConversationMessage.create({ conversationId: id, direction: 'in', senderType: 'customer', content: 'I need a refund please' });
    const t0 = Date.now();
    await onConversationReady(slug, id, 'created');
    const conv = await tenantModels(slug).Conversation.findById(id).lean();
    expect(conv).toMatchObject({ priority: 'urgent', requiredSkills: ['billing'], labels: ['refund'] });
    expect(String(conv!.teamId)).toBe(teams[1]);
    expect(await assigneeOf(slug, id)).toBe(agent);
    const due = conv!.firstResponseDueAt!.getTime();
    expect(due - t0).toBeGreaterThanOrEqual(5 * 60_000 - 50);
    expect(due - t0).toBeLessThan(5 * 60_000 + 5_000);
    expect(conv!.resolutionDueAt!.getTime() - due).toBeGreaterThanOrEqual(55 * 60_000 - 1000);
    const routed = await tenantModels(slug).EventLog.findOne({ conversationId: id, type: 'conversation.routed' }).lean();
    expect((routed!.data as { explanation: string }).explanation).toBe('"refunds" fires: message contains "refund".');
    // the breach check waits in the queue, delayed to the due time
    const job = await queue('assignment').getJob(`sla-${slug}-${id}-first_response-${due}`);
    expect(job?.name).toBe('sla.check');

    // before the due time, or for an outdated due time, nothing happens
    expect(await checkSlaBreach({ slug, conversationId: id, kind: 'first_response', dueAt: due })).toEqual({ breached: false });
    const past = new Date(Date.now() - 1000);
    await tenantModels(slug).Conversation.updateOne({ _id: id }, { $set: { firstResponseDueAt: past } });
    expect(await checkSlaBreach({ slug, conversationId: id, kind: 'first_response', dueAt: due })).toEqual({ breached: false });
    const p = { slug, conversationId: id, kind: 'first_response' as const, dueAt: past.getTime() };
    expect(await checkSlaBreach(p)).toEqual({ breached: true, notified: [agent, lead] });
    expect(await checkSlaBreach(p)).toEqual({ breached: false }); // redelivered job: once only
    const notes = await tenantModels(slug).Notification.find({ conversationId: id }).lean();
    expect(notes.map((n) => [String(n.userId), n.type]).sort()).toEqual([[agent, 'sla'], [lead, 'sla']].sort());
    expect(await tenantModels(slug).EventLog.countDocuments({ conversationId: id, type: 'sla.breached' })).toBe(1);
  });

  it('a first response in time is no breach', async () => {
    const { slug } = await engineOrg();
    const id = await makeConversation(slug);
    const dueAt = new Date(Date.now() - 1000);
    await tenantModels(slug).Conversation.updateOne({ _id: id }, { $set: { firstResponseDueAt: dueAt, firstResponseAt: new Date(Date.now() - 5000) } });
    expect(await checkSlaBreach({ slug, conversationId: id, kind: 'first_response', dueAt: dueAt.getTime() })).toEqual({ breached: false });
  });
});
