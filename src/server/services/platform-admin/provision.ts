import { Types } from 'mongoose';
import { getEnv } from '../../env';
import { AppError } from '../../errors';
import { tenantModels } from '../../tenancy/connections';
import { writeAudit } from '../audit';
import { provisionOrganization } from '../../tenancy/provisioning';
import type { Actor, ProvisionInput } from '../../tenancy/org-input';
import { sendInvitation } from '../identity/invitations';

/**
 * The panel's provisioning wizard: create the organisation (database, default roles, auto-created
 * channels, invited first admin), then email the first admin's invitation. A mail failure does not
 * undo the organisation: the result says so and the panel can resend.
 */
export interface ProvisionOutcome {
  slug: string;
  url: string;
  firstAdmin: { id: string; email: string };
  invitation: { sent: true } | { sent: false; error: string };
}

/** `http://<slug>.<BASE_DOMAIN>[:port]`, the port taken from the platform host the operator uses. */
export function tenantUrl(slug: string, platformHostHeader?: string | null): string {
  const env = getEnv();
  const port = platformHostHeader?.match(/:(\d{1,5})$/)?.[1];
  return `${env.PUBLIC_PROTOCOL}://${slug}.${env.BASE_DOMAIN}${port ? `:${port}` : ''}`;
}

export async function provisionWithInvitation(
  input: Omit<ProvisionInput, 'actor'>,
  actor: Actor,
  platformHostHeader?: string | null,
): Promise<ProvisionOutcome> {
  const created = await provisionOrganization({ ...input, actor });
  const url = tenantUrl(created.slug, platformHostHeader);
  return {
    slug: created.slug,
    url,
    firstAdmin: created.firstAdmin,
    invitation: await invite(created.slug, created.firstAdmin.id, url, actor),
  };
}

/** Resend to a user who has not accepted yet (the wizard's mail failed, or the link expired). */
export async function resendInvitation(slug: string, email: string, actor: Actor, platformHostHeader?: string | null) {
  const user = await tenantModels(slug)
    .User.findOne({ email: { $eq: email }, status: 'invited' })
    .select({ _id: 1 })
    .lean();
  if (!user) throw new AppError('NOT_FOUND', `${email} has no pending invitation in ${slug}`);
  return invite(slug, String(user._id), tenantUrl(slug, platformHostHeader), actor);
}

/** Send one invitation; audited either way. */
async function invite(slug: string, userId: string, url: string, actor: Actor): Promise<ProvisionOutcome['invitation']> {
  let outcome: ProvisionOutcome['invitation'];
  try {
    await sendInvitation(slug, new Types.ObjectId(userId), url);
    outcome = { sent: true };
  } catch (err) {
    outcome = { sent: false, error: err instanceof Error ? err.message : String(err) };
  }
  await writeAudit(
    { scope: 'platform', orgSlug: slug },
    {
      action: outcome.sent ? 'org.invitation.sent' : 'org.invitation.failed',
      actorType: actor.type,
      actorId: actor.id,
      actorEmail: actor.email,
      ipAddress: actor.ip,
      target: { type: 'User', id: userId },
      details: outcome.sent ? undefined : { error: outcome.error },
    },
  );
  return outcome;
}
