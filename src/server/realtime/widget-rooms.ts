/**
 * Web-chat visitors connect to their own Socket.IO namespace (realtime/widget.ts), never to the
 * agents' default one, and each visitor has one room; both sides import the names from here.
 */
export const WIDGET_NAMESPACE = '/widget';
export const visitorRoom = (slug: string, visitorId: string) => `${slug}:visitor:${visitorId}`;
