import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeEmitter } from '@/server/realtime/emit';
import { closeQueues } from '@/server/queues';
import { tenantModels } from '@/server/tenancy/connections';
import { isolateRedisPrefix } from '../helpers/prefix';
import { authzOrg, outcome, type AuthzOrg } from './authz-fixture';
import { startTenancy, stopTenancy } from './tenancy-helpers';

/**
 * Workspace procedures through the tRPC caller: views follow the role, filters and text search stay
 * inside the CASL scope, notes never become outbound messages, controls need `update`.
 */
isolateRedisPrefix('inbox-workspace');
let t: AuthzOrg;
beforeAll(async () => {
  await startTenancy();
  t = await authzOrg('ws');
});
afterAll(async () => {
  await closeQueues();
  await closeEmitter();
  await stopTenancy();
});

describe('workspace', () => {
  it('offers only the views a role can fill', async () => {
    expect((await t.caller('Admin').workspace.views({})).views).toEqual(['mine', 'unassigned', 'teams', 'all']);
    expect((await t.caller('Team Lead').workspace.views({})).views).toEqual(['mine', 'unassigned', 'teams']);
    expect((await t.caller('Agent').workspace.views({})).views).toEqual(['mine']);
    expect(await outcome(t.caller('Member').workspace.list({ view: 'mine' }))).toBe('FORBIDDEN');
  });

  it('lists per view inside the scope, counts unread per view', async () => {
    const mine = await t.caller('Agent').workspace.list({ view: 'mine' });
    expect(mine.map((c) => c.id)).toEqual([t.conversations.assigned.Agent!]);
    // An Agent asking for "all" still gets only what CASL lets them read.
    expect((await t.caller('Agent').workspace.list({ view: 'all' })).map((c) => c.id)).toEqual([t.conversations.assigned.Agent!]);
    const teams = (await t.caller('Team Lead').workspace.list({ view: 'teams' })).map((c) => c.id);
    expect(teams).toEqual([t.conversations.myTeam]);
    await tenantModels(t.slug).Conversation.updateOne({ _id: t.conversations.assigned.Agent! }, { $set: { unreadCount: 3 } });
    const counts = (await t.caller('Agent').workspace.views({})).counts;
    expect(counts).toEqual([{ view: 'mine', open: 1, unread: 1 }]);
    await t.caller('Agent').workspace.markRead({ conversationId: t.conversations.assigned.Agent! });
    expect((await t.caller('Agent').workspace.views({})).counts[0]!.unread).toBe(0);
  });

  it('filters by status and channel, searches message text, refuses operators', async () => {
    const m = tenantModels(t.slug);
    await m.ConversationMessage.create({
      conversationId: t.conversations.elsewhere,
      direction: 'in',
      senderType: 'customer',
      content: 'refund for the blue kettle',
    });
    await m.ConversationMessage.create({
      conversationId: t.conversations.myTeam,
      direction: 'in',
      senderType: 'customer',
      content: 'the kettle arrived broken',
    });
    const admin = await t.caller('Admin').workspace.list({ view: 'all', q: 'kettle' });
    expect(admin.map((c) => c.id).sort()).toEqual([t.conversations.elsewhere, t.conversations.myTeam].sort());
    const lead = await t.caller('Team Lead').workspace.list({ view: 'teams', q: 'kettle' });
    expect(lead.map((c) => c.id)).toEqual([t.conversations.myTeam]);
    expect(await t.caller('Admin').workspace.list({ view: 'all', channel: 'whatsapp' })).toEqual([]);
    expect(await t.caller('Admin').workspace.list({ view: 'all', status: 'resolved' })).toEqual([]);
    expect(await outcome(t.caller('Admin').workspace.list({ view: 'all', label: { $ne: 'x' } } as never))).toBe('BAD_REQUEST');
  });

  it('keeps notes inside: never queued, never sent, visible to colleagues', async () => {
    const id = t.conversations.assigned.Agent!;
    await t.caller('Agent').workspace.addNote({ conversationId: id, text: 'VIP, offer express shipping' });
    const note = await tenantModels(t.slug).ConversationMessage.findOne({ conversationId: id, type: 'note' }).lean();
    expect(note).toMatchObject({ status: 'received', senderType: 'agent', content: 'VIP, offer express shipping' });
    expect(note!.providerMessageId).toBeUndefined();
    const { messages, window } = await t.caller('Admin').workspace.messages({ conversationId: id });
    expect(messages.map((m) => m.type)).toContain('note');
    expect(window).toMatchObject({ open: true, closesAt: null }); // web chat has no 24-hour window
    expect(await outcome(t.caller('Agent').workspace.addNote({ conversationId: t.conversations.elsewhere, text: 'x' }))).toBe(
      'NOT_FOUND',
    );
  });

  it('changes status and priority only with update on that conversation', async () => {
    const id = t.conversations.assigned.Agent!;
    await t.caller('Agent').workspace.setPriority({ conversationId: id, priority: 'urgent' });
    await t.caller('Agent').workspace.setStatus({ conversationId: id, status: 'pending' });
    expect(await tenantModels(t.slug).Conversation.findById(id).lean()).toMatchObject({ priority: 'urgent', status: 'pending' });
    expect(
      await outcome(t.caller('Agent').workspace.setStatus({ conversationId: t.conversations.myTeam, status: 'resolved' })),
    ).toBe('NOT_FOUND');
    expect(
      await outcome(
        t.caller('Branch Manager').workspace.setStatus({ conversationId: t.conversations.myBranch, status: 'resolved' }),
      ),
    ).toBe('FORBIDDEN');
  });

  it('shows the customer with identities, other conversations in scope and orders', async () => {
    const m = tenantModels(t.slug);
    const conv = await m.Conversation.findById(t.conversations.myTeam).lean();
    await m.Order.create({
      customerId: conv!.customerId,
      source: 'shop',
      externalId: `o-${t.slug}`,
      status: 'paid',
      total: 42,
      currency: 'EUR',
      placedAt: new Date(),
    });
    const panel = await t.caller('Team Lead').workspace.customer({ conversationId: t.conversations.myTeam });
    expect(panel.customer?.name).toBe('Customer');
    expect(panel.orders.map((o) => o.externalId)).toEqual([`o-${t.slug}`]);
    // Every fixture conversation has this customer; the Team Lead reads only their team's (this one).
    expect(panel.otherConversations).toEqual([]);
    const admin = await t.caller('Admin').workspace.customer({ conversationId: t.conversations.myTeam });
    expect(admin.otherConversations.map((c) => c.id)).toContain(t.conversations.elsewhere);
    expect(admin.otherConversations.map((c) => c.id)).not.toContain(t.conversations.myTeam);
  });

  it('keeps canned responses per organisation, edited only by those who may change settings', async () => {
    await t.caller('Admin').workspace.saveCanned({ items: [{ shortcut: 'thanks', text: 'Thank you for your patience!' }] });
    expect(await t.caller('Agent').workspace.canned({})).toEqual([{ shortcut: 'thanks', text: 'Thank you for your patience!' }]);
    expect(await outcome(t.caller('Agent').workspace.saveCanned({ items: [] }))).toBe('FORBIDDEN');
  });
});
