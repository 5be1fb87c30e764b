import { Types } from 'mongoose';
import { publishSessionsRevoked } from '../../auth/revocation-events';
import { forgetUserState } from '../../auth/session-cache';
import { tenantModels } from '../../tenancy/connections';

/**
 * Ends every session of a user, everywhere, within about a second: the `sessionsValidAfter` stamp
 * makes every access JWT and refresh family issued before now worthless, and the event drops the
 * cached session check in every web process and closes the user's sockets on the realtime server.
 * Call it after any change that must take effect at once (suspension, role or password change).
 * Organisation suspension needs no call: sessions are refused while the org is not active.
 */
export async function revokeUserSessions(slug: string, userId: string): Promise<void> {
  await tenantModels(slug).User.updateOne(
    { _id: { $eq: new Types.ObjectId(userId) } },
    { $set: { sessionsValidAfter: new Date() } },
  );
  forgetUserState(slug, userId);
  await publishSessionsRevoked(slug, userId);
}

/** Suspend a user and revoke their sessions and sockets. */
export async function suspendUser(slug: string, userId: string): Promise<void> {
  await tenantModels(slug).User.updateOne({ _id: { $eq: new Types.ObjectId(userId) } }, { $set: { status: 'suspended' } });
  await revokeUserSessions(slug, userId);
}
