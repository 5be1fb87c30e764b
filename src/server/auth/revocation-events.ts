import { onOrgConfigUpdated, publishOrgConfigUpdated, type OrgConfigEvent } from '../tenancy/config-events';

/**
 * "This user's sessions are void" travels on the existing `org:config:updated` channel (one
 * subscriber connection per process, resync on reconnect) with the reason `session.revoked:<id>`.
 * Web processes drop their cached session check for the user; the realtime server disconnects the
 * user's sockets (src/server/realtime/revocation.ts).
 */
const PREFIX = 'session.revoked:';

export function publishSessionsRevoked(slug: string, userId: string): Promise<void> {
  return publishOrgConfigUpdated(slug, `${PREFIX}${userId}`);
}

/** The revoked user's id when `event` is a session revocation. */
export function revokedUserOf(event: OrgConfigEvent): string | null {
  return event.reason.startsWith(PREFIX) ? event.reason.slice(PREFIX.length) : null;
}

export { onOrgConfigUpdated };
