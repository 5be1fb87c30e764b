import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { closeEmitter } from '@/server/realtime/emit';
import { closeQueues } from '@/server/queues';
import { setAssignmentConfig } from '@/server/services/assignment/config';
import { requestAssignment } from '@/server/services/assignment/engine';
import { sweepJob } from '@/server/services/assignment/jobs';
import { loadKey, loadsOf } from '@/server/services/assignment/load';
import { queueKey, queuePosition } from '@/server/services/assignment/queue';
import { handleNoAnswer, onPresenceChange, serveNoAnswers } from '@/server/services/assignment/reassign';
import { noAnswerKey } from '@/server/services/assignment/no-answer';
import { queueReply } from '@/server/services/inbox/outbound';
import { setConversationStatus } from '@/server/services/inbox/conversations';
import { setConversationResolvedHandler } from '@/server/services/inbox/hooks';
import { onConversationClosed } from '@/server/services/assignment/reassign';
import { heartbeat, setPresenceChangeHandler, sweepPresence, presenceKey } from '@/server/services/presence/presence';
import { redis } from '@/server/redis';
import { tenantModels } from '@/server/tenancy/connections';
import { assigneeOf, engineOrg, makeAgent, makeConversation } from '../support/assignment-fixtures';
import { startTenancy, stopTenancy } from './tenancy-helpers';

const actor = { id: 'system', email: 'ops@example.test' };
beforeAll(async () => {
  await startTenancy();
  setPresenceChangeHandler(onPresenceChange);
  setConversationResolvedHandler(onConversationClosed);
});
afterAll(async () => {
  setPresenceChangeHandler(null);
  setConversationResolvedHandler(null);
  await Promise.allSettled([closeEmitter(), closeQueues()]);
  await stopTenancy();
});

async function assignAll(slug: string, n: number, o: Parameters<typeof makeConversation>[1] = {}) {
  const out: Array<string | null> = [];
  for (let i = 0; i < n; i++) {
    const id = await makeConversation(slug, o);
    await requestAssignment(slug, id);
    out.push(await assigneeOf(slug, id));
  }
  return out;
}

describe('strategies', () => {
  it('round-robin takes turns in a fixed order', async () => {
    const { slug, teams } = await engineOrg();
    await setAssignmentConfig(slug, { defaultStrategy: 'least_loaded', teamStrategies: [{ teamId: teams[0]!, strategy: 'round_robin' }] }, actor);
    const agents = [await makeAgent(slug, { teamIds: [teams[0]!], capacity: 10, presence: 'online' }), await makeAgent(slug, { teamIds: [teams[0]!], capacity: 10, presence: 'online' }), await makeAgent(slug, { teamIds: [teams[0]!], capacity: 10, presence: 'online' })];
    const got = await assignAll(slug, 6, { teamId: teams[0]! });
    expect(new Set(got.slice(0, 3)).size).toBe(3); // each agent once...
    expect(got.slice(3)).toEqual(got.slice(0, 3)); // ...then the same order again
    expect(got.every((g) => agents.includes(g!))).toBe(true);
  });

  it('least-loaded gives each conversation to the agent with the fewest', async () => {
    const { slug } = await engineOrg();
    const busy = await makeAgent(slug, { capacity: 5, presence: 'online' });
    await assignAll(slug, 2); // both to `busy`, the only one online
    const idle = await makeAgent(slug, { capacity: 5, presence: 'online' });
    const got = await assignAll(slug, 3);
    expect(got).toEqual([idle, idle, expect.any(String)]);
    expect(await loadsOf(slug)).toMatchObject({ [busy]: got[2] === busy ? 3 : 2, [idle]: got[2] === idle ? 3 : 2 });
  });
});

describe('waiting queue', () => {
  it('gives position and estimated wait; an agent coming online drains it by priority then arrival', async () => {
    const { slug } = await engineOrg();
    const low = await makeConversation(slug, { priority: 'low' });
    const normal1 = await makeConversation(slug);
    const urgent = await makeConversation(slug, { priority: 'urgent' });
    for (const id of [low, normal1, urgent]) await requestAssignment(slug, id);
    expect(await queuePosition(slug, urgent)).toMatchObject({ queued: true, position: 1, length: 3, estimatedWaitSeconds: null });
    expect(await queuePosition(slug, low)).toMatchObject({ position: 3 });
    const agent = await makeAgent(slug, { capacity: 2 });
    await heartbeat(slug, agent, 'online'); // the presence change drains the queue
    expect([await assigneeOf(slug, urgent), await assigneeOf(slug, normal1), await assigneeOf(slug, low)]).toEqual([agent, agent, null]);
    const pos = await queuePosition(slug, low);
    expect(pos).toMatchObject({ queued: true, position: 1, length: 1 });
    expect(pos.queued && pos.estimatedWaitSeconds).toBeTypeOf('number'); // two departures give a pace
    // resolving frees the slot: the last one is served at once
    await setConversationStatus(slug, urgent, 'resolved');
    expect(await assigneeOf(slug, low)).toBe(agent);
    expect(await loadsOf(slug)).toEqual({ [agent]: 2 });
  });
});

describe('reassignment', () => {
  it('an agent whose heartbeat stops goes offline and their conversations go to another agent', async () => {
    const { slug } = await engineOrg();
    const leaving = await makeAgent(slug, { capacity: 3, presence: 'online' });
    const [conv] = await Promise.all([makeConversation(slug)]);
    await requestAssignment(slug, conv!);
    expect(await assigneeOf(slug, conv!)).toBe(leaving);
    const staying = await makeAgent(slug, { capacity: 3, presence: 'online' });
    await redis().del(presenceKey(leaving)); // the key expired: no heartbeat for 35 s
    expect(await sweepPresence(slug)).toEqual([leaving]);
    expect(await assigneeOf(slug, conv!)).toBe(staying);
    const history = await tenantModels(slug).Assignment.find({ conversationId: conv }).sort({ createdAt: 1 }).lean();
    expect(history.map((h) => [String(h.agentId), h.active, h.endReason ?? null])).toEqual([
      [leaving, false, 'offline'],
      [staying, true, null],
    ]);
  });

  it('no answer within the configured time: moves on at the deadline and skips that agent; an answered one stays', async () => {
    const { slug } = await engineOrg();
    await setAssignmentConfig(slug, { noAnswerSeconds: 60 }, actor);
    const first = await makeAgent(slug, { capacity: 3, presence: 'online' });
    const conv = await makeConversation(slug);
    await requestAssignment(slug, conv);
    const assignment = await tenantModels(slug).Assignment.findOne({ conversationId: conv, active: true }).lean();
    const assignedAt = assignment!.createdAt.getTime();
    expect(Number(await redis().zscore(noAnswerKey(slug), conv))).toBe(assignedAt + 60_000);
    const second = await makeAgent(slug, { capacity: 3, presence: 'online' });
    // The sweep serves nothing before the deadline...
    expect(await serveNoAnswers(slug, assignedAt + 59_999)).toBe(0);
    expect(await assigneeOf(slug, conv)).toBe(first);
    // ...and moves it at the deadline, to someone else (least-loaded would have picked `first` again).
    expect(await serveNoAnswers(slug, assignedAt + 60_000)).toBe(1);
    expect(await assigneeOf(slug, conv)).toBe(second);
    const again = await tenantModels(slug).Assignment.findOne({ conversationId: conv, active: true }).lean();
    const againAt = again!.createdAt.getTime();
    expect(Number(await redis().zscore(noAnswerKey(slug), conv))).toBe(againAt + 60_000); // its own deadline, kept
    // the second agent answers: their deadline does nothing
    await tenantModels(slug).ConversationMessage.create({ conversationId: conv, direction: 'out', senderType: 'agent', senderId: second, content: 'Hi!' });
    expect(await serveNoAnswers(slug, againAt + 60_000)).toBe(1);
    expect(await assigneeOf(slug, conv)).toBe(second);
    expect(await redis().zscore(noAnswerKey(slug), conv)).toBeNull();
    expect(await handleNoAnswer({ slug, conversationId: conv, agentId: second, assignedAt: againAt })).toEqual({ moved: false });
    expect(await loadsOf(slug)).toEqual({ [first]: 0, [second]: 1 });
  });

  it('an internal note is not an answer: the conversation still moves on at the deadline', async () => {
    const { slug } = await engineOrg();
    await setAssignmentConfig(slug, { noAnswerSeconds: 60 }, actor);
    const first = await makeAgent(slug, { capacity: 3, presence: 'online' });
    const conv = await makeConversation(slug);
    await requestAssignment(slug, conv);
    const assignedAt = (await tenantModels(slug).Assignment.findOne({ conversationId: conv, active: true }).lean())!.createdAt.getTime();
    const second = await makeAgent(slug, { capacity: 3, presence: 'online' });
    // The customer never sees a note, so it must not stop the reassignment.
    await tenantModels(slug).ConversationMessage.create({ conversationId: conv, direction: 'out', senderType: 'agent', senderId: first, type: 'note', content: 'Looking into it' });
    expect(await serveNoAnswers(slug, assignedAt + 60_000)).toBe(1);
    expect(await assigneeOf(slug, conv)).toBe(second);
  });

  it('the sweep job serves due no-answer deadlines; an agent reply through the composer cancels the deadline', async () => {
    const { slug } = await engineOrg();
    await setAssignmentConfig(slug, { noAnswerSeconds: 60 }, actor);
    const first = await makeAgent(slug, { capacity: 3, presence: 'online' });
    const [leftAlone, answered] = [await makeConversation(slug), await makeConversation(slug)];
    await tenantModels(slug).Conversation.updateOne({ _id: answered }, { $set: { lastCustomerMessageAt: new Date() } });
    await requestAssignment(slug, leftAlone);
    await requestAssignment(slug, answered);
    await queueReply(slug, first, { conversationId: answered, text: 'On it' });
    expect(await redis().zscore(noAnswerKey(slug), answered)).toBeNull();
    // Make the remaining deadline due now, as if 60 s had passed, and let the sweep job run.
    await redis().zadd(noAnswerKey(slug), Date.now() - 1, leftAlone);
    // (through the driver: Mongoose keeps createdAt immutable)
    await tenantModels(slug).Assignment.collection.updateOne({ conversationId: new Types.ObjectId(leftAlone), active: true }, { $set: { createdAt: new Date(Date.now() - 61_000) } });
    await sweepJob.handle({}, {} as never);
    expect(await assigneeOf(slug, leftAlone)).toBeNull(); // nobody else online: back in the queue, not to `first`
    expect(await queuePosition(slug, leftAlone)).toMatchObject({ queued: true, position: 1 });
    expect(await assigneeOf(slug, answered)).toBe(first);
    const log = await tenantModels(slug).EventLog.findOne({ type: 'conversation.unassigned', conversationId: leftAlone }).lean();
    expect(log?.data).toMatchObject({ agentId: first, reason: 'no_answer' });
    expect(await redis().zcard(noAnswerKey(slug))).toBe(0);
  });
});

describe('Redis keeps nothing on disk', () => {
  it('after a Redis restart the sweep rebuilds the waiting queue and the load counters from MongoDB', async () => {
    const { slug } = await engineOrg();
    const busy = await makeAgent(slug, { capacity: 1, presence: 'online' });
    const [held, urgent, normal] = [await makeConversation(slug), await makeConversation(slug, { priority: 'urgent' }), await makeConversation(slug)];
    for (const id of [held, normal, urgent]) await requestAssignment(slug, id);
    expect(await assigneeOf(slug, held)).toBe(busy);
    await redis().del(queueKey(slug), loadKey(slug)); // what a restarted Redis remembers of them
    const fresh = await makeAgent(slug, { capacity: 5, presence: 'online' });
    expect(await assigneeOf(slug, urgent)).toBeNull(); // nothing queued as far as Redis knows
    await sweepJob.handle({}, {} as never);
    expect([await assigneeOf(slug, urgent), await assigneeOf(slug, normal)]).toEqual([fresh, fresh]);
    expect(await loadsOf(slug)).toEqual({ [busy]: 1, [fresh]: 2 });
    expect(await queuePosition(slug, normal)).toMatchObject({ queued: false, length: 0 });
  });
});
