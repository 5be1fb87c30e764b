import type { Types } from 'mongoose';
import { tenantModels } from '../../tenancy/connections';
import { DEMO_CUSTOMERS } from './demo-data';

/** Demo customers, one conversation each (WhatsApp, Messenger, web chat), messages and an order. */
export async function seedConversations(
  slug: string,
  refs: { teamIds: Map<string, Types.ObjectId>; userIds: Map<string, Types.ObjectId>; branchId: Types.ObjectId },
): Promise<void> {
  const m = tenantModels(slug);
  const minutes = (n: number) => new Date(Date.now() - n * 60_000);
  for (const [i, c] of DEMO_CUSTOMERS.entries()) {
    const customer = await m.Customer.findOneAndUpdate(
      { 'identities.channel': c.channel, 'identities.externalId': c.externalId },
      {
        $setOnInsert: {
          name: c.name,
          phone: 'phone' in c ? c.phone : undefined,
          email: 'email' in c ? c.email : undefined,
          identities: [{ channel: c.channel, externalId: c.externalId }],
          branchId: refs.branchId,
        },
      },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    const assigneeId = c.assignTo ? refs.userIds.get(c.assignTo) : undefined;
    const start = 30 * (DEMO_CUSTOMERS.length - i);
    const last = c.messages[c.messages.length - 1]!;
    const res = await m.Conversation.updateOne(
      { customerId: customer!._id, channel: c.channel },
      {
        $setOnInsert: {
          status: 'open',
          priority: i === 0 ? 'high' : 'normal',
          teamId: refs.teamIds.get(c.team),
          branchId: refs.branchId,
          assigneeId,
          queuedAt: assigneeId ? undefined : minutes(start),
          lastMessageAt: minutes(start - c.messages.length),
          lastMessagePreview: last.text,
          lastCustomerMessageAt: minutes(start - c.messages.length),
          unreadCount: c.messages.filter((msg) => msg.in).length,
        },
      },
      { upsert: true },
    );
    if (!res.upsertedId) continue; // already seeded: keep whatever happened to it since
    const conversationId = res.upsertedId;
    await m.ConversationMessage.insertMany(
      c.messages.map((msg, j) => ({
        conversationId,
        direction: msg.in ? 'in' : 'out',
        senderType: msg.in ? 'customer' : 'agent',
        senderId: msg.in ? undefined : assigneeId,
        content: msg.text,
        status: msg.in ? 'received' : 'delivered',
        providerMessageId: `demo-${c.externalId}-${j}`,
        createdAt: minutes(start - j),
      })),
    );
    if (assigneeId)
      await m.Assignment.create({
        conversationId,
        agentId: assigneeId,
        teamId: refs.teamIds.get(c.team),
        strategy: 'round_robin',
      });
    await m.EventLog.create({
      type: 'conversation.created',
      conversationId,
      customerId: customer!._id,
      actorType: 'system',
      data: { channel: c.channel },
    });
    if (i === 0) {
      await m.Order.updateOne(
        { source: 'shop', externalId: '1042' },
        {
          $setOnInsert: {
            customerId: customer!._id,
            status: 'shipped',
            total: 59.9,
            currency: 'GBP',
            items: [{ sku: 'MUG-01', qty: 2 }],
            placedAt: minutes(60 * 48),
            branchId: refs.branchId,
          },
        },
        { upsert: true },
      );
    }
  }
}
