import type { Metadata } from 'next';
import { defaultHealthDeps } from '@/server/health/default-deps';
import { checkHealth, HEALTH_PARTS, type HealthPart } from '@/server/health/service';
import { AutoRefresh } from './auto-refresh';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'System status' };

const LABELS: Record<HealthPart, string> = {
  mongo: 'Database (MongoDB)',
  redis: 'Cache and queues (Redis)',
  queues: 'Background queues',
  realtime: 'Realtime server',
  worker: 'Background worker',
};

/** Human view of GET /api/health, on any host; refreshes itself every 10 s. */
export default async function HealthPage() {
  const report = await checkHealth(defaultHealthDeps());
  const ok = report.status === 'ok';
  return (
    <main className="mx-auto max-w-3xl px-4 py-8 sm:py-12">
      <AutoRefresh everyMs={10_000} />
      <h1 className="text-2xl font-semibold text-slate-900">System status</h1>
      <div
        data-testid="health-overall"
        data-status={report.status}
        className={`mt-4 rounded-lg px-4 py-3 font-medium ${ok ? 'bg-green-50 text-green-800' : 'bg-red-50 text-red-800'}`}
      >
        {ok ? 'All systems operational' : `Degraded: ${report.failing.map((p) => LABELS[p]).join(', ')}`}
      </div>
      <ul className="mt-6 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
        {HEALTH_PARTS.map((part) => {
          const check = report.checks[part];
          return (
            <li key={part} data-testid={`health-${part}`} data-ok={check.ok} className="flex flex-col gap-1 px-4 py-3 sm:flex-row sm:items-center">
              <span className="flex items-center gap-2 font-medium text-slate-800 sm:w-64">
                <span aria-hidden className={`h-2.5 w-2.5 rounded-full ${check.ok ? 'bg-green-500' : 'bg-red-500'}`} />
                {LABELS[part]}
              </span>
              <span className="text-sm text-slate-600">{check.ok ? `OK · ${check.ms} ms` : check.error}</span>
            </li>
          );
        })}
      </ul>
      <p className="mt-4 text-xs text-slate-500">
        Checked {new Date(report.at).toLocaleString('en-GB', { timeZone: 'UTC' })} UTC · machine-readable at{' '}
        <a className="underline" href="/api/health">
          /api/health
        </a>
      </p>
    </main>
  );
}
