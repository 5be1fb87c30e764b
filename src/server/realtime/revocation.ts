import type { Server } from 'socket.io';
import { onOrgConfigUpdated, revokedUserOf } from '../auth/revocation-events';
import { loadUserState, sessionStillValid } from '../auth/session-cache';
import { AppError } from '../errors';
import type { RealtimeIdentity } from './token';
import { userRoom } from './rooms';

/**
 * The realtime server's half of session revocation. Every instance gets the revocation event and
 * disconnects the user's sockets it holds itself (`local`), so no instance depends on another one
 * relaying it. The handshake also refuses a token minted from a session that has since been revoked
 * (tokens live a minute, which would otherwise be a minute of grace).
 */
export function watchSessionRevocations(io: Server): () => void {
  return onOrgConfigUpdated((event) => {
    const userId = revokedUserOf(event);
    if (userId) io.local.in(userRoom(event.slug, userId)).disconnectSockets(true);
  });
}

export async function assertSocketSessionValid(identity: RealtimeIdentity): Promise<void> {
  // Tokens minted for a user session carry its issue time; service tokens (tests, tools) do not.
  if (identity.sessionIssuedAt === undefined) return;
  const state = await loadUserState(identity.slug, identity.userId);
  if (!sessionStillValid(state, identity.sessionIssuedAt * 1000)) throw new AppError('UNAUTHORIZED', 'Session ended');
}
