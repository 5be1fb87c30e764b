'use client';

import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { Socket } from 'socket.io-client';
import { useTRPC } from '@/trpc/client';

type Status = 'online' | 'away' | 'offline';
const STORED = 'cop-presence';
// The presence service forgets an agent 35 s after the last heartbeat; the realtime server takes them.
const HEARTBEAT_MS = 25_000;

/**
 * The agent's own availability. The choice is saved through the assignment engine (it drains the
 * queue or hands conversations on), then kept alive by socket heartbeats while the workspace is open,
 * and remembered in this browser so a reload does not silently take the agent offline.
 */
export function PresenceSwitch({ socket }: { socket: Socket | null }) {
  const trpc = useTRPC();
  const set = useMutation(trpc.assignment.setPresence.mutationOptions());
  const [status, setStatus] = useState<Status>('offline');
  const { mutate } = set;

  useEffect(() => {
    const saved = localStorage.getItem(STORED);
    if (saved === 'online' || saved === 'away') {
      setStatus(saved);
      mutate({ status: saved });
    }
  }, [mutate]);

  useEffect(() => {
    if (!socket || status === 'offline') return;
    const beat = () => socket.emit('presence:heartbeat', { status });
    const t = setInterval(beat, HEARTBEAT_MS);
    socket.on('connect', beat); // a new connection re-announces the agent at once
    return () => {
      clearInterval(t);
      socket.off('connect', beat);
    };
  }, [socket, status]);

  const choose = (next: Status) => {
    setStatus(next);
    localStorage.setItem(STORED, next);
    mutate({ status: next });
  };
  return (
    <span className="flex items-center gap-1.5">
      <span
        aria-hidden
        className={`h-2.5 w-2.5 rounded-full ${status === 'online' ? 'bg-success' : status === 'away' ? 'bg-warning' : 'bg-muted-foreground'}`}
      />
      <select
        aria-label="Your status"
        value={status}
        onChange={(e) => choose(e.target.value as Status)}
        className="text-foreground rounded bg-white/90 px-1 py-0.5 text-sm"
        data-testid="presence"
      >
        <option value="online">Online</option>
        <option value="away">Away</option>
        <option value="offline">Offline</option>
      </select>
      {set.error && (
        <span role="alert" className="text-xs">
          Status not saved: {set.error.message}
        </span>
      )}
    </span>
  );
}
