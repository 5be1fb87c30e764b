import { inject } from 'vitest';

// The test process talks to the same MongoDB, Redis prefix and token secret as the servers.
Object.assign(process.env, inject('e2e').env, { NODE_ENV: 'test' });
