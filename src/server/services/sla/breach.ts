import { emitToOrg, emitToUser } from '../../realtime/emit';
import { redis, rkey } from '../../redis';
import { tenantModels } from '../../tenancy/connections';

export type SlaKind = 'first_response' | 'resolution';

/**
 * A due time passed: if the target is still unmet and the due time is still the current one, the
 * breach is logged once (a Redis marker per conversation, target and due time makes redelivered
 * jobs harmless) and the assigned agent and the team leads are notified, live and in their list.
 */
export async function checkSlaBreach(p: { slug: string; conversationId: string; kind: SlaKind; dueAt: number }) {
  const { Conversation, Team, Notification, EventLog } = tenantModels(p.slug);
  const conv = await Conversation.findById(p.conversationId).lean();
  if (!conv) return { breached: false };
  const due = p.kind === 'first_response' ? conv.firstResponseDueAt : conv.resolutionDueAt;
  if (!due || due.getTime() !== p.dueAt || Date.now() < p.dueAt) return { breached: false };
  const met = p.kind === 'first_response' ? Boolean(conv.firstResponseAt) || conv.status === 'resolved' : conv.status === 'resolved';
  if (met) return { breached: false };
  const marker = rkey('sla', p.slug, 'breach', p.conversationId, p.kind, p.dueAt);
  if ((await redis().set(marker, '1', 'EX', 30 * 86_400, 'NX')) !== 'OK') return { breached: false };

  const team = conv.teamId ? await Team.findById(conv.teamId, { leadIds: 1 }).lean() : null;
  const recipients = [...new Set([conv.assigneeId, ...(team?.leadIds ?? [])].filter(Boolean).map(String))];
  const what = p.kind === 'first_response' ? 'first response' : 'resolution';
  const title = `SLA breached: ${what} was due ${new Date(p.dueAt).toISOString()}`;
  await EventLog.create({
    type: 'sla.breached',
    conversationId: conv._id,
    actorType: 'system',
    data: { kind: p.kind, dueAt: new Date(p.dueAt), assigneeId: conv.assigneeId, notified: recipients },
  });
  if (recipients.length) {
    await Notification.insertMany(recipients.map((userId) => ({ userId, type: 'sla', conversationId: conv._id, title })));
  }
  const payload = { conversationId: p.conversationId, kind: p.kind, dueAt: p.dueAt, cursor: p.conversationId };
  for (const userId of recipients) emitToUser(p.slug, userId, 'sla:breached', { ...payload, title });
  emitToOrg(p.slug, 'sla:breached', payload);
  return { breached: true, notified: recipients };
}
