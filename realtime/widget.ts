import type { Server } from 'socket.io';
import { isAppError } from '@/server/errors';
import { visitorRoom, WIDGET_NAMESPACE } from '@/server/realtime/widget-rooms';
import { verifyVisitorToken } from '@/server/services/inbox/visitor-token';
import { resolveOrgBySlug } from '@/server/tenancy/resolve';

/**
 * Web-chat visitors: the `/widget` namespace. The widget is embedded on any site of the
 * organisation, so no Origin rule applies here; the signed visitor token is the credential, and it
 * joins the socket to that visitor's room only (agent replies arrive there, see emitToVisitor).
 */
export function registerWidgetNamespace(io: Server): void {
  const nsp = io.of(WIDGET_NAMESPACE);
  nsp.use((socket, next) => {
    verifyVisitorToken((socket.handshake.auth as { token?: unknown } | undefined)?.token)
      .then(async (visitor) => {
        const org = await resolveOrgBySlug(visitor.slug);
        if (!org || org.status !== 'active') return next(new Error('Chat unavailable'));
        socket.data.visitor = visitor;
        next();
      })
      .catch((err: unknown) => next(new Error(isAppError(err) ? err.message : 'Handshake failed')));
  });
  nsp.on('connection', (socket) => {
    const { slug, visitorId } = socket.data.visitor as { slug: string; visitorId: string };
    void socket.join(visitorRoom(slug, visitorId));
  });
}
