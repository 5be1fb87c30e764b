import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeEmitter } from '@/server/realtime/emit';
import { closeQueues } from '@/server/queues';
import { createInbox } from '@/server/services/inbox/inboxes';
import { issueSession } from '@/server/services/identity/sessions';
import { tenantModels } from '@/server/tenancy/connections';
import { createInnerContext } from '@/server/trpc/context';
import { createCaller } from '@/server/trpc/root';
import { isolateRedisPrefix } from '../helpers/prefix';
import { META_SECRETS } from '../support/inbox-fixtures';
import { authzOrg, outcome, type AuthzOrg } from './authz-fixture';
import { startTenancy, stopTenancy } from './tenancy-helpers';

/**
 * Message templates through the real tRPC procedures: who may manage them, what a valid body is,
 * the audit trail, tenant isolation, and the 24-hour window: outside it the composer is offered and
 * the send path accepts exactly the approved templates of the conversation's inbox, variables filled.
 */
isolateRedisPrefix('templates');
let a: AuthzOrg;
let b: AuthzOrg;

const base = {
  name: 'order_update',
  language: 'en_US',
  category: 'utility' as const,
  body: 'Hi {{1}}, order {{2}} is on its way. Thanks, {{1}}!',
  variables: [
    { label: 'customer name', example: 'Ana' },
    { label: 'order', example: '#1042' },
  ],
};

async function whatsappInbox(slug: string, name = 'WhatsApp support') {
  const id = `10${Math.floor(Math.random() * 1e9)}`;
  return createInbox(slug, { name, provider: 'meta', channel: 'whatsapp', meta: { ...META_SECRETS, phoneNumberId: id } });
}

/** A WhatsApp conversation assigned to the org's Agent, the customer's last message `ageMs` ago. */
async function conversation(t: AuthzOrg, inboxId: string, ageMs: number) {
  const m = tenantModels(t.slug);
  const customer = await m.Customer.create({ name: 'Ana' });
  const conv = await m.Conversation.create({
    customerId: customer._id,
    channel: 'whatsapp',
    inboxId,
    status: 'open',
    assigneeId: new Types.ObjectId(t.users.Agent!.id),
    lastCustomerMessageAt: new Date(Date.now() - ageMs),
  });
  return String(conv._id);
}

beforeAll(async () => {
  await startTenancy();
  [a, b] = await Promise.all([authzOrg('tpa'), authzOrg('tpb')]);
});
afterAll(async () => {
  await closeQueues();
  await closeEmitter();
  await stopTenancy();
});

describe('managing templates', () => {
  it('is for those who may manage Template; agents may only read', async () => {
    expect(await outcome(a.caller('Agent').templates.create(base))).toBe('FORBIDDEN');
    expect(await outcome(a.caller('Team Lead').templates.create(base))).toBe('FORBIDDEN');
    expect(await outcome(a.caller('Member').templates.list())).toBe('FORBIDDEN');
    expect(await outcome(a.caller('Agent').templates.list())).toBe('OK');
    const { id } = await a.caller('Operations').templates.create({ ...base, name: 'ops_made' });
    expect(await outcome(a.caller('Agent').templates.update({ id, template: { ...base, name: 'ops_made', status: 'approved' } }))).toBe(
      'FORBIDDEN',
    );
    expect(await outcome(a.caller('Agent').templates.remove({ id }))).toBe('FORBIDDEN');
    expect((await tenantModels(a.slug).Template.findById(id).lean())?.status).toBe('pending');
  });

  it('rejects bodies Meta would refuse, with the reason in words, and stores nothing', async () => {
    const { Template } = tenantModels(a.slug);
    const count = await Template.countDocuments();
    const refusals: Array<[Record<string, unknown>, RegExp]> = [
      [{ body: 'Hi {{1}}, see {{3}} soon', variables: [{ example: 'a' }, { example: 'b' }] }, /numbered consecutively.*\{\{2\}\} missing/],
      [{ body: 'Hi {{name}}, welcome', variables: [] }, /not a variable/],
      [{ body: '{{1}}, your order is here', variables: [{ example: 'Ana' }] }, /cannot start or end with a variable/],
      [{ body: 'Hi {{1}}, order {{2}} ships', variables: [{ example: 'Ana' }] }, /2 variable\(s\) but 1 example/],
      [{ body: 'Hi {{1}}, welcome', variables: [{ label: 'name', example: '  ' }] }, /needs an example value/],
      [{ name: 'Order Update' }, /lowercase letters, digits and underscores/],
      [{ language: 'english' }, /code such as en/],
    ];
    for (const [patch, message] of refusals) {
      const err = await a.caller('Admin').templates.create({ ...base, ...patch } as typeof base).catch((e: unknown) => e);
      expect(err, JSON.stringify(patch)).toMatchObject({ code: 'BAD_REQUEST' });
      const issues = (err as { cause?: { issues?: Array<{ message: string }> } }).cause?.issues ?? [];
      expect(issues.map((i) => i.message).join(' | '), JSON.stringify(patch)).toMatch(message);
    }
    expect(await outcome(a.caller('Admin').templates.create({ ...base, status: { $ne: 1 } } as never))).toBe('BAD_REQUEST');
    expect(await outcome(a.caller('Admin').templates.create({ ...base, extra: 1 } as never))).toBe('BAD_REQUEST');
    expect(await Template.countDocuments()).toBe(count);
  });

  it('creates, updates, approves and deletes, each in the audit log; a duplicate name is a conflict', async () => {
    const admin = a.caller('Admin');
    const { id } = await admin.templates.create({ ...base, name: 'audited' });
    expect(await outcome(admin.templates.create({ ...base, name: 'audited' }))).toBe('CONFLICT');
    await admin.templates.update({ id, template: { ...base, name: 'audited', body: 'Hello {{1}}, order {{2}} shipped.' } });
    await admin.templates.update({ id, template: { ...base, name: 'audited', body: 'Hello {{1}}, order {{2}} shipped.', status: 'approved' } });
    const listed = (await admin.templates.list()).find((t) => t.id === id);
    expect(listed).toMatchObject({ status: 'approved', body: 'Hello {{1}}, order {{2}} shipped.', variables: base.variables, inboxId: null });
    await admin.templates.remove({ id });
    expect(await outcome(admin.templates.remove({ id }))).toBe('NOT_FOUND');
    const log = await tenantModels(a.slug).AuditLog.find({ 'target.id': id }).sort({ seq: 1 }).lean();
    expect(log.map((e) => e.action)).toEqual(['template.created', 'template.updated', 'template.approved', 'template.deleted']);
    expect(log[0]).toMatchObject({ actorId: a.users.Admin!.id, target: { type: 'Template', id } });
  });

  it("never reaches another organisation's templates or inboxes", async () => {
    const theirs = await b.caller('Admin').templates.create({ ...base, name: 'theirs' });
    const theirInbox = await whatsappInbox(b.slug);
    const before = await tenantModels(b.slug).Template.findById(theirs.id).lean();
    const admin = a.caller('Admin');
    expect(await outcome(admin.templates.update({ id: theirs.id, template: { ...base, name: 'hijack', status: 'approved' } }))).toBe(
      'NOT_FOUND',
    );
    expect(await outcome(admin.templates.remove({ id: theirs.id }))).toBe('NOT_FOUND');
    expect(await outcome(admin.templates.create({ ...base, name: 'scoped', inboxId: theirInbox.id }))).toBe('NOT_FOUND');
    expect((await admin.templates.list()).map((t) => t.id)).not.toContain(theirs.id);
    // A's real session cookie presented on B's host is not a session there.
    const { cookies } = await issueSession(a.slug, a.users.Admin!.id);
    const cookie = cookies.map((c) => c.split(';')[0]).join('; ');
    const onB = createCaller(createInnerContext({ host: b.host, headers: new Headers({ host: b.host, cookie }) }));
    expect(await outcome(onB.templates.remove({ id: theirs.id }))).toBe('UNAUTHORIZED');
    expect(await outcome(onB.templates.list())).toBe('UNAUTHORIZED');
    expect(await tenantModels(b.slug).Template.findById(theirs.id).lean()).toEqual(before);
  });
});

describe('templates in the composer and on the send path', () => {
  it('outside the 24-hour window only approved templates of the inbox are offered and sendable, variables filled', async () => {
    const admin = a.caller('Admin');
    const agent = a.caller('Agent');
    const [inbox, other] = [await whatsappInbox(a.slug), await whatsappInbox(a.slug, 'Other number')];
    const make = async (name: string, status: 'pending' | 'approved' | 'rejected', inboxId: string | null = null) =>
      (await admin.templates.create({ ...base, name, status, inboxId })).id;
    const approved = await make('window_approved', 'approved');
    const forInbox = await make('window_this_inbox', 'approved', inbox.id);
    const pending = await make('window_pending', 'pending');
    const rejected = await make('window_rejected', 'rejected');
    const otherInbox = await make('window_other_inbox', 'approved', other.id);
    const conversationId = await conversation(a, inbox.id, 25 * 3600 * 1000);

    expect(await outcome(agent.conversations.reply({ conversationId, text: 'hello again' }))).toBe('PRECONDITION_FAILED');
    expect((await agent.workspace.messages({ conversationId })).window).toMatchObject({ open: false });
    const offered = await agent.workspace.templates({ conversationId });
    expect(offered.map((t) => t.id).sort()).toEqual([approved, forInbox].sort());
    expect(offered.find((t) => t.id === approved)?.variables).toEqual(base.variables);

    const send = (templateId: string, variables: string[]) => agent.conversations.reply({ conversationId, template: { templateId, variables } });
    expect(await outcome(send(pending, ['Ana', '#7']))).toBe('PRECONDITION_FAILED');
    expect(await outcome(send(rejected, ['Ana', '#7']))).toBe('PRECONDITION_FAILED');
    expect(await outcome(send(otherInbox, ['Ana', '#7']))).toBe('NOT_FOUND');
    await expect(send(approved, ['Ana'])).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/Fill in \{\{2\}\} \(order\)/) });
    await expect(send(approved, ['Ana', '   '])).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(send(approved, ['Ana', '#7', 'extra'])).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const { ConversationMessage } = tenantModels(a.slug);
    expect(await ConversationMessage.countDocuments({ conversationId })).toBe(0);

    const { messageId } = await send(forInbox, ['Ana', '#1042']);
    expect(await ConversationMessage.findById(messageId).lean()).toMatchObject({
      type: 'template',
      status: 'queued',
      content: 'Hi Ana, order #1042 is on its way. Thanks, Ana!',
      payload: { template: { name: 'window_this_inbox', language: 'en_US', variables: ['Ana', '#1042'] } },
    });

    // Withdrawn approval: no longer offered, no longer sendable.
    await admin.templates.update({ id: approved, template: { ...base, name: 'window_approved', status: 'rejected' } });
    expect((await agent.workspace.templates({ conversationId })).map((t) => t.id)).toEqual([forInbox]);
    expect(await outcome(send(approved, ['Ana', '#7']))).toBe('PRECONDITION_FAILED');
  });
});
