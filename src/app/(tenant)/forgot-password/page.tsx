import type { Metadata } from 'next';
import { requestOrg } from '../../_lib/request-org';
import { AuthCard } from '../_auth/auth-card';
import { ForgotForm } from './forgot-form';

export const metadata: Metadata = { title: 'Forgot password' };

export default async function ForgotPasswordPage() {
  const org = await requestOrg();
  if (!org) return null;
  return (
    <AuthCard appName={org.branding.appName || org.name} logo={org.branding.logo} title="Reset your password">
      <ForgotForm />
    </AuthCard>
  );
}
