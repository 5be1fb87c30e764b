import { queue } from '../../queues/connection';
import { emitToOrg } from '../../realtime/emit';
import { tenantModels } from '../../tenancy/connections';
import { setConversationReadyHandler, setConversationResolvedHandler } from '../inbox/hooks';
import { presenceOf, setPresenceChangeHandler } from '../presence/presence';
import { routeConversation } from '../routing/apply';
import { applySlaDueTimes } from '../sla/due';
import { assignmentConfigFor } from './config';
import { requestAssignment } from './engine';
import { pickAgent } from './load';
import { endAssignment, recordAssignment } from './record';
import { onConversationClosed, onPresenceChange } from './reassign';

/**
 * A conversation is new or reopened: route it (rules), set its SLA due times, announce it, and ask
 * the engine for an agent (or a place in the queue). A reopened conversation goes back to its agent
 * when they are online with a free slot.
 */
export async function onConversationReady(slug: string, conversationId: string, reason: 'created' | 'reopened') {
  await routeConversation(slug, conversationId);
  await applySlaDueTimes(slug, conversationId);
  emitToOrg(slug, 'inbox:conversation.ready', { conversationId, reason, cursor: conversationId });
  // Only a reopened conversation can still have an agent: a new one goes straight to the queue.
  const conv = reason === 'reopened' ? await tenantModels(slug).Conversation.findById(conversationId).lean() : null;
  const previous = conv?.assigneeId ? String(conv.assigneeId) : null;
  if (conv && previous) {
    const user = await tenantModels(slug).User.findOne({ _id: previous, status: 'active' }, { maxConcurrent: 1 }).lean();
    const online = user && (await presenceOf(previous)) === 'online';
    if (online && (await pickAgent(slug, 'reopen', 'least_loaded', [{ id: previous, capacity: user.maxConcurrent }]))) {
      const config = await assignmentConfigFor(slug);
      await recordAssignment(slug, conv, previous, { strategy: 'manual', reason: 'reopened', noAnswerSeconds: config.noAnswerSeconds });
      return;
    }
    await endAssignment(slug, conversationId, previous, 'reopened_unavailable');
  }
  await requestAssignment(slug, conversationId);
}

const SWEEP_EVERY_MS = 15_000;

/** Worker start: the engine takes over the ingestion seams, presence changes and the sweep schedule. */
export async function startAssignmentEngine(): Promise<void> {
  setConversationReadyHandler(onConversationReady);
  setConversationResolvedHandler(onConversationClosed);
  setPresenceChangeHandler(onPresenceChange);
  await queue('assignment').upsertJobScheduler('assignment-sweep', { every: SWEEP_EVERY_MS }, { name: 'assignment.sweep', data: {} });
}
