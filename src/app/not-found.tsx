import { requestHost, requestOrg } from './_lib/request-org';

/**
 * Every 404. On a host that belongs to no organisation it says so plainly ("no such workspace"),
 * because a mistyped subdomain is the usual cause.
 */
export default async function NotFound() {
  const { host, kind } = await requestHost();
  const unknownWorkspace = kind === 'invalid' || ((kind === 'subdomain' || kind === 'custom') && !(await requestOrg()));
  return (
    <main className="flex min-h-screen items-center justify-center bg-slate-50 p-6">
      <div className="w-full max-w-md rounded-xl border border-slate-200 bg-white p-8 text-center shadow-sm" data-testid="not-found">
        <p className="text-sm font-medium text-slate-500">404</p>
        <h1 className="mt-1 text-2xl font-semibold text-slate-900">{unknownWorkspace ? 'No such workspace' : 'Page not found'}</h1>
        <p className="mt-3 text-slate-600">
          {unknownWorkspace ? (
            <>
              There is no workspace at <strong className="break-words">{host || 'this address'}</strong>. Check the address your
              administrator sent you.
            </>
          ) : (
            'The page you asked for does not exist.'
          )}
        </p>
      </div>
    </main>
  );
}
