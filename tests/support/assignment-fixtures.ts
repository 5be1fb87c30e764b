import { randomBytes } from 'node:crypto';
import { ensureTenantIndexes, type PRIORITIES } from '@/server/db/models/tenant';
import { heartbeat, type PresenceStatus } from '@/server/services/presence/presence';
import { tenantModels } from '@/server/tenancy/connections';
import { createTestOrg } from '../helpers/orgs';

/** Organisations with agents (skills, capacity, teams, presence) and waiting conversations. */
export async function engineOrg() {
  const slug = await createTestOrg({ roles: [{ name: 'Agent', level: 20, permissions: [] }, { name: 'Team Lead', level: 60, permissions: [] }] });
  await ensureTenantIndexes(tenantModels(slug));
  const { Team } = tenantModels(slug);
  const teams = await Team.insertMany([{ name: 'Sales' }, { name: 'Support' }]);
  return { slug, teams: teams.map((t) => String(t._id)) };
}

export async function makeAgent(
  slug: string,
  o: { skills?: string[]; capacity?: number; teamIds?: string[]; presence?: PresenceStatus; role?: string } = {},
) {
  const user = await tenantModels(slug).User.create({
    displayName: `Agent ${randomBytes(3).toString('hex')}`,
    email: `a${randomBytes(5).toString('hex')}@example.test`,
    role: o.role ?? 'Agent',
    status: 'active',
    skills: o.skills ?? [],
    maxConcurrent: o.capacity ?? 3,
    teamIds: o.teamIds ?? [],
  });
  const id = String(user._id);
  if (o.presence && o.presence !== 'offline') await heartbeat(slug, id, o.presence);
  return id;
}

export async function makeConversation(slug: string, o: { priority?: (typeof PRIORITIES)[number]; teamId?: string; requiredSkills?: string[] } = {}) {
  const { Customer, Conversation } = tenantModels(slug);
  const customer = await Customer.create({ name: 'Customer', identityKeys: [`whatsapp|${randomBytes(6).toString('hex')}`] });
  const conv = await Conversation.create({
    customerId: customer._id,
    channel: 'whatsapp',
    inboxId: 'inbox-1',
    status: 'open',
    priority: o.priority ?? 'normal',
    teamId: o.teamId,
    requiredSkills: o.requiredSkills ?? [],
  });
  return String(conv._id);
}

export async function assigneeOf(slug: string, conversationId: string): Promise<string | null> {
  const c = await tenantModels(slug).Conversation.findById(conversationId, { assigneeId: 1 }).lean();
  return c?.assigneeId ? String(c.assigneeId) : null;
}
