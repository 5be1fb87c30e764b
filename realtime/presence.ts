import type { Socket } from 'socket.io';
import { z } from 'zod';
import { enqueue } from '@/server/queues/enqueue';
import { presenceJob } from '@/server/services/assignment/jobs';
import { heartbeat, PRESENCE_STATUSES, setPresenceChangeHandler } from '@/server/services/presence/presence';

/**
 * Agent presence: the workspace sends `presence:heartbeat` every 30 s with its status. Changes are
 * handed to the worker (queue drain on online, reassignment on offline) so this process stays light.
 * A closed tab simply stops beating: its key expires after 35 s and the worker's sweep notices.
 */
const beat = z.strictObject({ status: z.enum(PRESENCE_STATUSES) });

setPresenceChangeHandler(async (slug, userId, from, to) => {
  await enqueue(presenceJob, { slug, userId, from, to });
});

export function registerPresence(socket: Socket, slug: string, userId: string): void {
  socket.on('presence:heartbeat', (data: unknown, ack?: unknown) => {
    const parsed = beat.safeParse(data);
    const reply = typeof ack === 'function' ? (ack as (r: unknown) => void) : () => undefined;
    if (!parsed.success) return reply({ ok: false, error: 'status must be online, away or offline' });
    heartbeat(slug, userId, parsed.data.status).then(
      () => reply({ ok: true }),
      (err: unknown) => {
        console.error('[realtime] presence heartbeat failed:', err);
        reply({ ok: false, error: 'Presence is unavailable right now' });
      },
    );
  });
}
