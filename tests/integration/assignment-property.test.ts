import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeEmitter } from '@/server/realtime/emit';
import { closeQueues } from '@/server/queues';
import { drainQueue, requestAssignment } from '@/server/services/assignment/engine';
import { eligibleAgents, type Agent } from '@/server/services/assignment/eligible';
import { loadsOf } from '@/server/services/assignment/load';
import { priorityRank } from '@/server/services/assignment/queue';
import { onPresenceChange } from '@/server/services/assignment/reassign';
import { heartbeat, presenceOf, setPresenceChangeHandler } from '@/server/services/presence/presence';
import { PRIORITIES } from '@/server/db/models/tenant';
import { tenantModels } from '@/server/tenancy/connections';
import { childEnv } from '../helpers/processes';
import { engineOrg, makeAgent, makeConversation } from '../support/assignment-fixtures';
import { startTenancy, stopTenancy } from './tenancy-helpers';

/**
 * The engine under concurrent arrivals from three separate processes plus this one, against the
 * real Redis and the embedded MongoDB: random agents (skills, capacity, team, presence), random
 * conversations (priority, team, required skills). Then the agents who were away or offline come
 * online and every process drains at once.
 */
interface Child {
  proc: ChildProcessWithoutNullStreams;
  send: (cmd: unknown) => Promise<void>;
}
function startChild(): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'tests/support/assignment-child.ts'], { env: childEnv() });
  const lines = createInterface({ input: proc.stdout })[Symbol.asyncIterator]();
  const next = async () => String((await lines.next()).value ?? '');
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += String(d)));
  const send = async (cmd: unknown) => {
    proc.stdin.write(`${JSON.stringify(cmd)}\n`);
    const reply = JSON.parse(await next()) as { ok: boolean; error?: string };
    if (!reply.ok) throw new Error(`child failed: ${reply.error}`);
  };
  return next().then((first) => {
    if (first !== 'ready') throw new Error(`child did not start: ${first} ${stderr}`);
    return { proc, send };
  });
}

let children: Child[] = [];
beforeAll(async () => {
  await startTenancy();
  setPresenceChangeHandler(onPresenceChange); // as in the worker: offline hands conversations back
  children = await Promise.all([startChild(), startChild(), startChild()]);
}, 90_000);
afterAll(async () => {
  setPresenceChangeHandler(null);
  for (const c of children) c.proc.stdin.end();
  await Promise.all(children.map((c) => new Promise((r) => c.proc.once('exit', r))));
  await Promise.allSettled([closeEmitter(), closeQueues()]);
  await stopTenancy();
});

const SKILLS = ['en', 'es', 'billing', 'tech'];
const agentArb = fc.record({
  skills: fc.subarray(SKILLS),
  capacity: fc.integer({ min: 0, max: 4 }),
  team: fc.constantFrom<0 | 1 | null>(0, 1, null),
  presence: fc.constantFrom<'online' | 'away' | 'offline'>('online', 'online', 'away', 'offline'),
});
const convArb = fc.record({
  priority: fc.constantFrom(...PRIORITIES),
  skills: fc.subarray(SKILLS, { maxLength: 2 }),
  team: fc.constantFrom<0 | 1 | null>(0, 1, null, null),
});

type AgentSpec = { skills: string[]; capacity: number; team: 0 | 1 | null; presence: 'online' | 'away' | 'offline' };
type ConvSpec = { priority: (typeof PRIORITIES)[number]; skills: string[]; team: 0 | 1 | null };

async function check(agentSpecs: AgentSpec[], convSpecs: ConvSpec[]) {
  const { slug, teams } = await engineOrg();
  const agents: Array<Agent & { presence: string }> = [];
  for (const a of agentSpecs) {
    const teamIds = a.team === null ? [] : [teams[a.team]!];
    const id = await makeAgent(slug, { skills: a.skills, capacity: a.capacity, teamIds, presence: a.presence });
    agents.push({ id, skills: a.skills, teamIds, capacity: a.capacity, presence: a.presence });
  }
  const ids: string[] = [];
  for (const c of convSpecs) ids.push(await makeConversation(slug, { priority: c.priority, requiredSkills: c.skills, teamId: c.team === null ? undefined : teams[c.team] }));

  // Phase 1: everything arrives at once, from four processes.
  const parts = [0, 1, 2, 3].map((k) => ids.filter((_, i) => i % 4 === k));
  await Promise.all([...children.map((c, k) => c.send({ slug, ids: parts[k] })), Promise.all(parts[3]!.map((id) => requestAssignment(slug, id)))]);
  const { Conversation, Assignment, EventLog } = tenantModels(slug);
  const afterArrivals = new Map((await Conversation.find({}, { assigneeId: 1 }).lean()).map((c) => [String(c._id), c.assigneeId ? String(c.assigneeId) : null]));
  const onlineFirst = new Set(agents.filter((a) => a.presence === 'online').map((a) => a.id));
  for (const agentId of afterArrivals.values()) if (agentId) expect(onlineFirst.has(agentId)).toBe(true);

  // Phase 2: everyone comes online; four processes drain at once.
  for (const a of agents) if (a.presence !== 'online') await heartbeat(slug, a.id, 'online');
  await Promise.all([...children.map((c) => c.send({ slug, drain: true })), drainQueue(slug)]);

  const convs = await Conversation.find().lean();
  const byId = new Map(agents.map((a) => [a.id, a]));
  const counts = new Map<string, number>();
  for (const c of convs) {
    const id = String(c._id);
    const assignee = c.assigneeId ? String(c.assigneeId) : null;
    // never assigned twice: one assignment event, one active Assignment record, matching the conversation
    expect(await EventLog.countDocuments({ conversationId: c._id, type: 'conversation.assigned' })).toBe(assignee ? 1 : 0);
    const active = await Assignment.find({ conversationId: c._id, active: true }).lean();
    expect(active.map((x) => String(x.agentId))).toEqual(assignee ? [assignee] : []);
    if (!assignee) continue;
    counts.set(assignee, (counts.get(assignee) ?? 0) + 1);
    const agent = byId.get(assignee)!;
    // skills always covered, team respected
    expect(c.requiredSkills.every((s) => agent.skills.includes(s))).toBe(true);
    if (c.teamId) expect(agent.teamIds).toContain(String(c.teamId));
    if (afterArrivals.get(id) && afterArrivals.get(id) !== assignee) throw new Error(`conversation ${id} moved`);
  }
  // never over capacity; counters agree with the conversations
  const loads = await loadsOf(slug);
  for (const a of agents) {
    expect(counts.get(a.id) ?? 0).toBeLessThanOrEqual(a.capacity);
    expect(loads[a.id] ?? 0).toBe(counts.get(a.id) ?? 0);
  }
  // queue order: a waiting conversation has no eligible agent with a free slot, and nothing that
  // queued after it (same or lower priority) went in the drain to an agent who could have taken it
  const queuedAtOf = new Map<string, number>();
  for (const e of await EventLog.find({ type: 'conversation.assigned' }).lean()) {
    queuedAtOf.set(String(e.conversationId), new Date((e.data as { queuedAt: Date }).queuedAt).getTime());
  }
  const before = (w: (typeof convs)[number], d: (typeof convs)[number]) =>
    priorityRank(w.priority) < priorityRank(d.priority) ||
    (priorityRank(w.priority) === priorityRank(d.priority) && w.queuedAt!.getTime() < queuedAtOf.get(String(d._id))!);
  const waiting = convs.filter((c) => !c.assigneeId);
  const drained = convs.filter((c) => c.assigneeId && !afterArrivals.get(String(c._id)));
  for (const w of waiting) {
    const eligible = eligibleAgents(agents, { teamId: w.teamId ? String(w.teamId) : undefined, requiredSkills: w.requiredSkills });
    for (const a of eligible) expect(counts.get(a.id) ?? 0).toBe(a.capacity);
    for (const d of drained) {
      if (eligible.some((a) => a.id === String(d.assigneeId))) expect(before(w, d)).toBe(false);
    }
  }
}

describe('assignment engine under concurrent arrivals (property)', () => {
  it('never double-assigns, never exceeds capacity, covers skills, serves the queue in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(agentArb, { minLength: 1, maxLength: 8 }), fc.array(convArb, { minLength: 1, maxLength: 30 }), check),
      { numRuns: 12 },
    );
  }, 240_000);
});

/**
 * The same guarantees while the world moves: conversations arrive from four processes while agents
 * go offline (their conversations go back to the queue) and capacities are raised or lowered. Then a
 * second wave arrives after the changes. At the end nobody offline holds a conversation, every
 * conversation has at most one active record (the one matching it), counters equal conversations,
 * skills and teams are covered, the second wave never pushed anyone past their new capacity, and
 * whatever still waits has no online agent able to take it.
 */
const changeArb = fc.record({
  agent: fc.nat(),
  kind: fc.constantFrom<'offline' | 'capacity'>('offline', 'capacity', 'capacity'),
  capacity: fc.integer({ min: 0, max: 4 }),
  delayMs: fc.integer({ min: 0, max: 40 }),
});

async function checkUnderChanges(agentSpecs: AgentSpec[], convSpecs: ConvSpec[], changes: Array<{ agent: number; kind: 'offline' | 'capacity'; capacity: number; delayMs: number }>) {
  const { slug, teams } = await engineOrg();
  const { User, Conversation, Assignment, EventLog } = tenantModels(slug);
  const agents: Array<Agent & { capacities: number[] }> = [];
  for (const a of agentSpecs) {
    const teamIds = a.team === null ? [] : [teams[a.team]!];
    const id = await makeAgent(slug, { skills: a.skills, capacity: a.capacity, teamIds, presence: 'online' });
    agents.push({ id, skills: a.skills, teamIds, capacity: a.capacity, capacities: [a.capacity] });
  }
  const ids: string[] = [];
  for (const c of convSpecs) ids.push(await makeConversation(slug, { priority: c.priority, requiredSkills: c.skills, teamId: c.team === null ? undefined : teams[c.team] }));
  const firstWave = ids.slice(0, Math.ceil(ids.length * 0.7));
  const secondWave = ids.slice(firstWave.length);

  // Wave 1 from four processes, while agents leave and capacities change.
  const parts = [0, 1, 2, 3].map((k) => firstWave.filter((_, i) => i % 4 === k));
  const world = async () => {
    for (const ch of changes) {
      await new Promise((r) => setTimeout(r, ch.delayMs));
      const agent = agents[ch.agent % agents.length]!;
      if (ch.kind === 'offline') await heartbeat(slug, agent.id, 'offline');
      else {
        await User.updateOne({ _id: agent.id }, { $set: { maxConcurrent: ch.capacity } });
        agent.capacity = ch.capacity;
        agent.capacities.push(ch.capacity);
      }
    }
  };
  await Promise.all([...children.map((c, k) => c.send({ slug, ids: parts[k] })), Promise.all(parts[3]!.map((id) => requestAssignment(slug, id))), world()]);
  await Promise.all([...children.map((c) => c.send({ slug, drain: true })), drainQueue(slug)]);
  const countsOf = async () => {
    const m = new Map<string, number>();
    for (const c of await Conversation.find({ assigneeId: { $ne: null } }, { assigneeId: 1 }).lean()) m.set(String(c.assigneeId), (m.get(String(c.assigneeId)) ?? 0) + 1);
    return m;
  };
  const beforeWave2 = await countsOf();

  // Wave 2, after the changes, from four processes.
  const parts2 = [0, 1, 2, 3].map((k) => secondWave.filter((_, i) => i % 4 === k));
  await Promise.all([...children.map((c, k) => c.send({ slug, ids: parts2[k], drain: true })), Promise.all(parts2[3]!.map((id) => requestAssignment(slug, id)))]);
  await drainQueue(slug);

  const presence = new Map(await Promise.all(agents.map(async (a) => [a.id, await presenceOf(a.id)] as const)));
  const counts = await countsOf();
  const loads = await loadsOf(slug);
  const byId = new Map(agents.map((a) => [a.id, a]));
  const convs = await Conversation.find().lean();
  for (const c of convs) {
    const assignee = c.assigneeId ? String(c.assigneeId) : null;
    const active = await Assignment.find({ conversationId: c._id, active: true }).lean();
    expect(active.map((x) => String(x.agentId))).toEqual(assignee ? [assignee] : []);
    // every assignment but the current one was ended by an unassignment
    const assigned = await EventLog.countDocuments({ conversationId: c._id, type: 'conversation.assigned' });
    const unassigned = await EventLog.countDocuments({ conversationId: c._id, type: 'conversation.unassigned' });
    expect(assigned - unassigned).toBe(assignee ? 1 : 0);
    if (!assignee) continue;
    expect(presence.get(assignee)).toBe('online'); // nobody offline keeps a conversation
    const agent = byId.get(assignee)!;
    expect(c.requiredSkills.every((s) => agent.skills.includes(s))).toBe(true);
    if (c.teamId) expect(agent.teamIds).toContain(String(c.teamId));
  }
  for (const a of agents) {
    const n = counts.get(a.id) ?? 0;
    expect(loads[a.id] ?? 0).toBe(n);
    expect(n).toBeLessThanOrEqual(Math.max(...a.capacities)); // never over any capacity it had
    expect(n).toBeLessThanOrEqual(Math.max(a.capacity, beforeWave2.get(a.id) ?? 0)); // wave 2 honoured the new capacity
  }
  for (const w of convs.filter((c) => !c.assigneeId && c.status !== 'resolved')) {
    const eligible = eligibleAgents(agents, { teamId: w.teamId ? String(w.teamId) : undefined, requiredSkills: w.requiredSkills }).filter((a) => presence.get(a.id) === 'online');
    for (const a of eligible) expect(counts.get(a.id) ?? 0).toBeGreaterThanOrEqual(a.capacity);
  }
}

describe('assignment engine while agents leave and capacities change (property)', () => {
  it('nobody offline keeps work, one active record per conversation, capacity and counters hold', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(agentArb, { minLength: 1, maxLength: 8 }),
        fc.array(convArb, { minLength: 1, maxLength: 30 }),
        fc.array(changeArb, { minLength: 1, maxLength: 6 }),
        checkUnderChanges,
      ),
      { numRuns: 10 },
    );
  }, 300_000);
});
