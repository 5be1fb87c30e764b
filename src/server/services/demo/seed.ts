import type { Types } from 'mongoose';
import { hashPassword, verifyPassword } from '../../crypto/passwords';
import { AppError } from '../../errors';
import { ensurePlatformIndexes, platformModels } from '../../db/models/platform';
import { joinAutoChannels } from '../../tenancy/auto-channels';
import { tenantModels } from '../../tenancy/connections';
import { reconcileStorage } from '../../tenancy/plan-limits';
import { provisionOrganization } from '../../tenancy/provisioning';
import { seedConversations } from './seed-conversations';
import { DEMO_BRANCH, DEMO_BRANDING, DEMO_SLUG, DEMO_SUPER_ADMIN, DEMO_TEAMS, DEMO_USERS } from './demo-data';

/**
 * The demo: a platform super admin and an organisation `demo` with its own branding, one user per
 * default role, two teams, a branch, customers with WhatsApp, Messenger and web-chat conversations,
 * and team-chat channels. Idempotent: re-running keeps existing data and re-asserts the demo
 * passwords, so the printed credentials always work. Expects connectMongo() to have run.
 */
export interface DemoSeed {
  superAdmin: { email: string; password: string };
  org: { slug: string };
  users: Array<{ email: string; password: string; role: string }>;
}

async function passwordHashFor(current: string | null | undefined, password: string): Promise<string> {
  return (await verifyPassword(current, password)) ? current! : hashPassword(password);
}

async function waitUntilActive(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const org = await platformModels().Organization.findOne({ slug: DEMO_SLUG }).select({ status: 1 }).lean();
    if (org?.status === 'active') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new AppError('UNAVAILABLE', 'The demo organisation did not become active');
}

export async function seedDemo(): Promise<DemoSeed> {
  await ensurePlatformIndexes();
  const { SuperAdmin, Organization } = platformModels();
  const sa = await SuperAdmin.findOne({ email: DEMO_SUPER_ADMIN.email }).lean();
  await SuperAdmin.updateOne(
    { email: DEMO_SUPER_ADMIN.email },
    {
      $set: { passwordHash: await passwordHashFor(sa?.passwordHash, DEMO_SUPER_ADMIN.password) },
      $setOnInsert: { displayName: DEMO_SUPER_ADMIN.displayName, role: 'super_admin' },
    },
    { upsert: true },
  );

  if (!(await Organization.exists({ slug: DEMO_SLUG }))) {
    await provisionOrganization({
      slug: DEMO_SLUG,
      name: 'Harbor Demo Ltd',
      plan: { tier: 'pro' },
      branding: DEMO_BRANDING,
      firstAdmin: { email: DEMO_USERS[0].email, displayName: DEMO_USERS[0].displayName },
      actor: { type: 'system', email: 'seed' },
    }).catch((err) => {
      if (!(err instanceof AppError && err.code === 'CONFLICT')) throw err; // another process is seeding
    });
  }
  await waitUntilActive();

  const m = tenantModels(DEMO_SLUG);
  const teamIds = new Map<string, Types.ObjectId>();
  for (const team of DEMO_TEAMS) {
    const doc = await m.Team.findOneAndUpdate(
      { name: team.name },
      { $setOnInsert: team },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    teamIds.set(team.name, doc!._id as Types.ObjectId);
  }
  const branch = await m.Branch.findOneAndUpdate(
    { code: DEMO_BRANCH.code },
    { $setOnInsert: DEMO_BRANCH },
    { upsert: true, returnDocument: 'after' },
  ).lean();

  const userIds = new Map<string, Types.ObjectId>();
  for (const u of DEMO_USERS) {
    const existing = await m.User.findOne({ email: u.email }).select({ passwordHash: 1 }).lean();
    const doc = await m.User.findOneAndUpdate(
      { email: u.email },
      {
        $set: { passwordHash: await passwordHashFor(existing?.passwordHash, u.password), status: 'active' },
        $setOnInsert: {
          displayName: u.displayName,
          role: u.role,
          teamIds: u.team ? [teamIds.get(u.team)] : [],
          branchId: u.branch ? branch!._id : undefined,
          skills: u.role === 'Agent' ? ['support', 'english'] : [],
        },
      },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    userIds.set(u.email, doc!._id as Types.ObjectId);
    await joinAutoChannels(DEMO_SLUG, doc!._id as never);
  }

  // A team channel for Support, with its members.
  const supportId = teamIds.get('Support');
  const supportMembers = DEMO_USERS.filter((u) => u.team === 'Support').map((u) => userIds.get(u.email)!);
  const teamChannel = await m.Channel.findOneAndUpdate(
    { name: 'support-team', type: 'team' },
    {
      $setOnInsert: {
        visibility: 'private',
        origin_type: 'system',
        teamId: supportId,
        createdBy: userIds.get('lead@demo.test'),
        memberIds: supportMembers,
        topic: 'Support team room',
      },
    },
    { upsert: true, returnDocument: 'after' },
  ).lean();
  for (const userId of supportMembers) {
    await m.ChannelMembership.updateOne(
      { channelId: teamChannel!._id, userId },
      { $setOnInsert: { origin_type: 'system', role: userId === userIds.get('lead@demo.test') ? 'Team Lead' : undefined } },
      { upsert: true },
    );
  }

  await seedConversations(DEMO_SLUG, { teamIds, userIds, branchId: branch!._id as Types.ObjectId });
  await reconcileStorage(DEMO_SLUG);
  return {
    superAdmin: { email: DEMO_SUPER_ADMIN.email, password: DEMO_SUPER_ADMIN.password },
    org: { slug: DEMO_SLUG },
    users: DEMO_USERS.map((u) => ({ email: u.email, password: u.password, role: u.role })),
  };
}
