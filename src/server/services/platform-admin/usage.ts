import { writeAudit } from '../audit';
import { reconcileUsage } from '../../tenancy/admin-queries';
import type { Actor } from '../../tenancy/org-input';

/** The panel's "recount usage": recounts from the tenant database and, like every panel action, leaves a trace. */
export async function recountUsage(slug: string, actor: Actor) {
  const usage = await reconcileUsage(slug);
  await writeAudit(
    { scope: 'platform', orgSlug: slug },
    {
      action: 'org.usage.recounted',
      actorType: actor.type,
      actorId: actor.id,
      actorEmail: actor.email,
      ipAddress: actor.ip,
      target: { type: 'Organization', id: slug },
      details: { users: usage.users, conversations: usage.conversations, storageBytes: usage.storageBytes },
    },
  );
  return usage;
}
