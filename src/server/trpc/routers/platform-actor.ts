import { getEnv } from '../../env';
import type { SuperAdminSession } from '../../auth/session';
import { clientIp } from '../../services/rate-limit';
import type { Actor } from '../../tenancy/org-input';

/** Who did it, for the platform audit log of every panel mutation. */
export function platformActor(ctx: { superAdmin: SuperAdminSession; headers: Headers }): Actor {
  return {
    type: 'superadmin',
    id: ctx.superAdmin.id,
    email: ctx.superAdmin.email,
    ip: clientIp(ctx.headers, getEnv().TRUST_PROXY),
  };
}
