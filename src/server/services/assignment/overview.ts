import { tenantModels } from '../../tenancy/connections';
import { presenceOf } from '../presence/presence';
import { loadsOf } from './load';

/** Agents with presence and load: who can take what (reassignment picker, supervisors). */
export async function agentOverview(slug: string) {
  const [users, loads] = await Promise.all([
    tenantModels(slug).User.find({ status: 'active' }, { displayName: 1, skills: 1, teamIds: 1, maxConcurrent: 1 }).sort({ displayName: 1 }).limit(1000).lean(),
    loadsOf(slug),
  ]);
  return Promise.all(
    users.map(async (u) => ({
      id: String(u._id),
      displayName: u.displayName,
      skills: u.skills,
      teamIds: u.teamIds.map(String),
      capacity: u.maxConcurrent,
      load: loads[String(u._id)] ?? 0,
      presence: await presenceOf(String(u._id)),
    })),
  );
}
