import { getEnv } from '../env';
import type { SessionUser } from '../auth/session';
import type { OrgActor } from '../services/audit';
import { clientIp } from '../services/rate-limit';

/** The audit actor of a tRPC request: the session user, the client IP and user agent. */
export function actorOf(ctx: { user: SessionUser; headers: Headers }): OrgActor {
  return {
    id: ctx.user.id,
    email: ctx.user.email,
    ip: clientIp(ctx.headers, getEnv().TRUST_PROXY),
    userAgent: ctx.headers.get('user-agent')?.slice(0, 300) ?? undefined,
  };
}
