import type { Metadata } from 'next';
import { safeNext } from '@/server/auth/http';
import { requestOrg } from '../../_lib/request-org';
import { AuthCard } from '../_auth/auth-card';
import { PasswordForm } from './password-form';

export const metadata: Metadata = { title: 'Sign in' };

const SSO_ERRORS: Record<string, string> = {
  sso: 'Single sign-on did not complete. Try again or contact your administrator.',
  ended: 'Your session has ended. Sign in again.',
};

/** The organisation's own sign-in: its branding, and the one method it chose (password, OIDC or SAML). */
export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const org = await requestOrg();
  if (!org) return null;
  const params = await searchParams;
  const next = safeNext(params.next ?? '/inbox');
  const method = org.signIn.methods[0] ?? 'password';
  const appName = org.branding.appName || org.name;
  const error = params.error ? (SSO_ERRORS[params.error] ?? SSO_ERRORS.sso!) : null;
  return (
    <AuthCard appName={appName} logo={org.branding.logo} title={`Sign in to ${appName}`}>
      {error && (
        <p role="alert" className="border-destructive text-destructive mb-4 rounded-md border bg-red-50 px-3 py-2 text-sm">
          {error}
        </p>
      )}
      {params.reset === '1' && !error && (
        <p role="status" className="border-success text-success mb-4 rounded-md border bg-green-50 px-3 py-2 text-sm">
          Your new password is saved. Sign in with it.
        </p>
      )}
      {method === 'password' ? (
        <PasswordForm next={next} />
      ) : (
        <div className="space-y-3">
          <p className="text-muted-foreground text-sm">{appName} signs you in with your company account.</p>
          <a
            href={`/api/sso/start?next=${encodeURIComponent(next)}`}
            className="bg-primary text-primary-foreground block w-full rounded-md px-4 py-2.5 text-center font-medium shadow-sm"
            data-testid="sso-button"
          >
            Continue with {method === 'saml' ? 'SAML single sign-on' : ssoName(org.signIn.provider)}
          </a>
        </div>
      )}
    </AuthCard>
  );
}

function ssoName(provider: string | null): string {
  if (provider === 'okta') return 'Okta';
  if (provider === 'auth0') return 'Auth0';
  return 'single sign-on';
}
