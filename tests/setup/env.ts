import { inject } from 'vitest';

// Each test worker sees the URI and Redis prefix chosen once by the global setup.
(process.env as Record<string, string>).NODE_ENV = 'test';
process.env.MONGO_URI = inject('mongoUri');
process.env.REDIS_PREFIX = inject('redisPrefix');
