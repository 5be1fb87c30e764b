/**
 * Socket.IO room names. Every room starts with the organisation slug, so nothing addressed to one
 * organisation can reach another's sockets, whatever ids collide between tenant databases.
 */
export const orgRoom = (slug: string) => `${slug}:org`;
export const userRoom = (slug: string, userId: string) => `${slug}:user:${userId}`;
export const channelRoom = (slug: string, channelId: string) => `${slug}:channel:${channelId}`;

/** The key the adapter and the emitter share; both sides must agree or events go nowhere. */
export const socketIoKey = (redisPrefix: string) => `${redisPrefix}:socket.io`;
