import { z } from 'zod';
import { AppError } from '../../errors';
import { tenantModels } from '../../tenancy/connections';
import { auditOrgChange, type OrgActor } from '../audit';
import { isDuplicateKey, objectIdInput, oid, plain } from '../shared/ids';

/** Teams: named groups of users that conversations are routed to and Team Leads lead. */
const skills = z.array(z.string().trim().min(1).max(40)).max(30);
export const teamInput = z.strictObject({
  name: z.string().trim().min(1, 'Give the team a name.').max(80),
  description: z.string().trim().max(300).optional(),
  skills: skills.optional(),
  leadIds: z.array(objectIdInput).max(50).optional(),
});
export const teamPatch = teamInput.partial().extend({ id: objectIdInput });

export async function listTeams(slug: string) {
  const { Team, User } = tenantModels(slug);
  const [teams, counts] = await Promise.all([
    Team.find().sort({ name: 1 }).limit(500).lean(),
    User.aggregate<{ _id: unknown; n: number }>([{ $unwind: '$teamIds' }, { $group: { _id: '$teamIds', n: { $sum: 1 } } }]),
  ]);
  const byId = new Map(counts.map((c) => [String(c._id), c.n]));
  return teams.map((t) => ({ ...plain(t), id: String(t._id), memberCount: byId.get(String(t._id)) ?? 0 }));
}

export async function createTeam(slug: string, input: z.infer<typeof teamInput>, actor: OrgActor) {
  try {
    const team = await tenantModels(slug).Team.create({ ...input, leadIds: input.leadIds?.map(oid) });
    const after = plain(team.toObject());
    await auditOrgChange(slug, actor, 'team.created', { type: 'Team', id: String(team._id) }, { after });
    return { id: String(team._id) };
  } catch (err) {
    if (isDuplicateKey(err)) throw new AppError('CONFLICT', `A team named "${input.name}" already exists.`);
    throw err;
  }
}

export async function updateTeam(slug: string, { id, ...patch }: z.infer<typeof teamPatch>, actor: OrgActor) {
  const { Team } = tenantModels(slug);
  const before = await Team.findById(id).lean();
  if (!before) throw new AppError('NOT_FOUND', 'Team not found');
  try {
    const after = await Team.findByIdAndUpdate(id, { $set: { ...patch, ...(patch.leadIds ? { leadIds: patch.leadIds.map(oid) } : {}) } }, { returnDocument: 'after', runValidators: true }).lean();
    await auditOrgChange(slug, actor, 'team.updated', { type: 'Team', id }, { before: plain(before), after: plain(after) });
  } catch (err) {
    if (isDuplicateKey(err)) throw new AppError('CONFLICT', `A team named "${patch.name}" already exists.`);
    throw err;
  }
}

/** Deleting a team takes it off its members; conversations keep the id for history. */
export async function deleteTeam(slug: string, id: string, actor: OrgActor) {
  const { Team, User } = tenantModels(slug);
  const before = await Team.findByIdAndDelete(id).lean();
  if (!before) throw new AppError('NOT_FOUND', 'Team not found');
  await User.updateMany({ teamIds: oid(id) }, { $pull: { teamIds: oid(id) } });
  await auditOrgChange(slug, actor, 'team.deleted', { type: 'Team', id }, { before: plain(before) });
}
