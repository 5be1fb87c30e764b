/**
 * PM2 (production): `npm run build && pm2 start ecosystem.config.cjs`.
 * web runs in cluster mode, 2 instances on consecutive ports (PORT, PORT+1 via increment_var);
 * put nginx/Caddy in front with sticky sessions (ip_hash) for Socket.IO polling fallbacks.
 * realtime and worker can be scaled too: the Redis adapter and BullMQ coordinate instances.
 */
const shared = { env: { NODE_ENV: 'production' }, kill_timeout: 30_000, max_memory_restart: '1G', time: true };

module.exports = {
  apps: [
    {
      name: 'web',
      script: 'node_modules/next/dist/bin/next',
      args: 'start',
      exec_mode: 'cluster',
      instances: 2,
      increment_var: 'PORT',
      ...shared,
      env: { ...shared.env, PORT: 3000 },
    },
    {
      name: 'realtime',
      script: 'realtime/index.ts',
      interpreter: 'node',
      interpreter_args: '--import tsx',
      instances: 1,
      ...shared,
      env: { ...shared.env, REALTIME_PORT: 3001 },
    },
    {
      // Provider webhooks (/api/webhooks/*, routed here by the proxy): node:http, no Next.
      name: 'ingest',
      script: 'ingest/index.ts',
      interpreter: 'node',
      interpreter_args: '--import tsx',
      instances: 1,
      ...shared,
      env: { ...shared.env, INGEST_PORT: 3002 },
    },
    {
      name: 'worker',
      script: 'worker/index.ts',
      interpreter: 'node',
      interpreter_args: '--import tsx',
      instances: 1,
      // Let running jobs finish on restart/deploy (SIGTERM -> graceful close).
      ...shared,
      kill_timeout: 60_000,
    },
  ],
};
