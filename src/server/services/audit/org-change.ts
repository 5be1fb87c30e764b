import { writeAudit } from './writer';

/** Who made an administrative change, as the shells know it (session user, client IP, user agent). */
export interface OrgActor {
  id: string;
  email?: string;
  ip?: string;
  userAgent?: string;
}

/**
 * One organisation-log entry for an administrative change: who, what, on which target, the state
 * before and after (the writer redacts secret-looking keys, so a password or token never lands here).
 */
export async function auditOrgChange(
  slug: string,
  actor: OrgActor,
  action: string,
  target: { type: string; id: string },
  change: { before?: unknown; after?: unknown },
): Promise<void> {
  await writeAudit(
    { scope: 'org', slug },
    {
      action,
      actorType: 'user',
      actorId: actor.id,
      actorEmail: actor.email,
      ipAddress: actor.ip,
      userAgent: actor.userAgent,
      target,
      details: { before: change.before ?? null, after: change.after ?? null },
    },
  );
}
