'use client';

import { io, type Socket } from 'socket.io-client';

/**
 * Browser side of the realtime path. The token is fetched from /api/realtime/token for every
 * (re)connection (the `auth` callback), so an expired token never blocks a reconnect, and it travels
 * in the handshake auth, not in the URL.
 *
 * Re-sync hook: after a reconnect the socket may have missed events (Redis blip, instance restart).
 * `onResync` is called then; features refetch what changed since their last cursor (e.g. TanStack
 * Query invalidation of the open conversation), so nothing is silently missed.
 */
export interface RealtimeClientOptions {
  onResync?: () => void;
}

export async function connectRealtime(opts: RealtimeClientOptions = {}): Promise<Socket> {
  const first = await fetchToken();
  const socket = io(first.url, {
    transports: ['websocket', 'polling'],
    auth: (cb) => {
      fetchToken()
        .then(({ token }) => cb({ token }))
        .catch(() => cb({ token: '' }));
    },
  });
  let connectedOnce = false;
  socket.on('connect', () => {
    if (connectedOnce) opts.onResync?.();
    connectedOnce = true;
  });
  return socket;
}

async function fetchToken(): Promise<{ token: string; url: string }> {
  const res = await fetch('/api/realtime/token', { method: 'POST', credentials: 'same-origin' });
  if (!res.ok) throw new Error(`realtime token: ${res.status}`);
  return (await res.json()) as { token: string; url: string };
}
