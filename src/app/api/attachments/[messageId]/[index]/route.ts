import { errorResponse, tenantOf } from '@/server/auth/http';
import { getSessionUser } from '@/server/auth/session';
import { buildAbility, type Role } from '@/server/authz';
import { AppError } from '@/server/errors';
import { openAttachment } from '@/server/services/inbox/media-read';
import { loadOrg } from '@/server/tenancy/resolve';

export const dynamic = 'force-dynamic';

/**
 * GET /api/attachments/{messageId}/{index}: a stored media attachment of a conversation message,
 * streamed from object storage to a signed-in agent who may read that conversation. Everything
 * else (no session, another organisation's message, out of scope, a guessed address) is refused
 * without saying whether the attachment exists.
 */
export async function GET(req: Request, { params }: { params: Promise<{ messageId: string; index: string }> }) {
  try {
    const org = await tenantOf(req);
    const user = await getSessionUser(req.headers, org.slug);
    if (!user) throw new AppError('UNAUTHORIZED', 'Sign in to continue');
    const roles = ((await loadOrg(org.slug))?.roles ?? []) as Role[];
    const ability = buildAbility(roles, {
      role: user.role,
      userId: user.id,
      teamIds: user.teamIds,
      branchId: user.branchId ?? null,
    });
    const { messageId, index } = await params;
    const file = await openAttachment(org.slug, ability, messageId, index, req.headers.get('range'));
    return new Response(file.body, { status: file.status, headers: file.headers });
  } catch (err) {
    return errorResponse(err);
  }
}
