'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { Socket } from 'socket.io-client';
import { connectRealtime } from '@/lib/realtime-client';
import { useTRPC } from '@/trpc/client';

export type LiveState = 'connecting' | 'live' | 'offline';
const EVENTS = [
  'inbox:conversation.ready',
  'inbox:message.created',
  'inbox:message.status',
  'inbox:message.updated', // an attachment was stored or failed (src/server/services/inbox/media.ts)
  'inbox:conversation.updated',
  'inbox:conversation.assigned', // user room: the engine gave this agent a conversation
  'inbox:conversation.unassigned',
];

/**
 * Keeps the workspace live: each inbox event on the org room refetches what it touches (the list,
 * the counts, the open conversation). The queries read the database, so after a reconnect one
 * refetch of everything re-syncs whatever the socket missed; nothing depends on having seen an event.
 */
export function useLiveInbox(): { state: LiveState; socket: Socket | null } {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');
  const [socket, setSocket] = useState<Socket | null>(null);
  useEffect(() => {
    let closed = false;
    let current: Socket | null = null;
    const resync = () => void qc.invalidateQueries({ queryKey: trpc.workspace.pathKey() });
    connectRealtime({ onResync: resync })
      .then((s) => {
        if (closed) return void s.close();
        current = s;
        setSocket(s);
        s.on('connect', () => setState('live'));
        s.on('disconnect', () => setState('offline'));
        if (s.connected) setState('live');
        for (const name of EVENTS) {
          s.on(name, (e: { conversationId?: string }) => {
            void qc.invalidateQueries({ queryKey: trpc.workspace.list.pathKey() });
            void qc.invalidateQueries({ queryKey: trpc.workspace.views.pathKey() });
            if (e.conversationId) {
              void qc.invalidateQueries({ queryKey: trpc.workspace.messages.queryKey({ conversationId: e.conversationId }) });
              if (name !== 'inbox:message.created' && name !== 'inbox:message.status')
                void qc.invalidateQueries({ queryKey: trpc.conversations.get.queryKey({ id: e.conversationId }) });
            }
          });
        }
      })
      .catch(() => setState('offline'));
    return () => {
      closed = true;
      current?.close();
    };
  }, [qc, trpc]);
  return { state, socket };
}
