import { defaultHealthDeps } from '@/server/health/default-deps';
import { checkHealth, healthHttpStatus } from '@/server/health/service';

export const dynamic = 'force-dynamic';

/** 200 when MongoDB, Redis, the queues, the realtime server and the worker are all healthy; else 503. */
export async function GET() {
  const report = await checkHealth(defaultHealthDeps());
  return Response.json(report, { status: healthHttpStatus(report), headers: { 'cache-control': 'no-store' } });
}
