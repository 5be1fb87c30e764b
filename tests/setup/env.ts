import { inject } from 'vitest';

// Each test worker sees the URI and Redis prefix chosen once by the global setup.
(process.env as Record<string, string>).NODE_ENV = 'test';
process.env.MONGO_URI = inject('mongoUri');
process.env.REDIS_PREFIX = inject('redisPrefix');

// Provider APIs default to the real hosts; a test that does not start its own fake must never reach
// out (media downloads queued by webhook tests, say): point them at a closed loopback port instead.
process.env.META_GRAPH_BASE_URL ??= 'http://127.0.0.1:9/graph';
process.env.TWILIO_BASE_URL ??= 'http://127.0.0.1:9/twilio';
