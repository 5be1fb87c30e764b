'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/trpc/client';
import { BrandPreview } from '../../../_ui/brand-preview';
import { ColorFields } from '../../../_ui/color-fields';
import { Button, ErrorText, inputClass, Labelled } from '../../../_ui/ui';
import { ProvisionProgress } from './provision-progress';
import { SignInFields, type SignInState } from './sign-in-fields';

/**
 * The provisioning wizard: organisation -> branding -> sign-in -> channels -> first admin -> review.
 * Each step checks its own fields; the server checks everything again and its words are shown.
 */
type Tier = 'free' | 'starter' | 'pro' | 'enterprise';
interface ChannelType {
  key: string;
  label: string;
  icon: string;
  autoCreate: boolean;
}
interface Defaults {
  colors: Record<string, string>;
  plans: Record<Tier, { maxUsers: number; maxStorageMB: number }>;
  channelTypes: ChannelType[];
}

const STEPS = ['Organisation', 'Branding', 'Sign-in', 'Channels', 'First admin', 'Review'] as const;
const SLUG_RE = /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/;
const toSlug = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/^[^a-z]+/, '')
    .slice(0, 40);

export function ProvisionWizard({ defaults }: { defaults: Defaults }) {
  const trpc = useTRPC();
  const provision = useMutation(trpc.platform.orgs.provision.mutationOptions());
  const [step, setStep] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugEdited, setSlugEdited] = useState(false);
  const [tier, setTier] = useState<Tier>('starter');
  const [appName, setAppName] = useState('');
  const [logo, setLogo] = useState('');
  const [colors, setColors] = useState(defaults.colors);
  const [signIn, setSignIn] = useState<SignInState>({
    method: 'password',
    issuer: '',
    clientId: '',
    clientSecret: '',
    entryPoint: '',
    idpIssuer: '',
    idpCert: '',
  });
  const [channels, setChannels] = useState(defaults.channelTypes);
  const [adminEmail, setAdminEmail] = useState('');
  const [adminName, setAdminName] = useState('');

  const checks: Array<() => string | null> = [
    () =>
      !name.trim()
        ? 'Enter the organisation’s name.'
        : !SLUG_RE.test(slug)
          ? 'The address must be 3-40 lower-case letters, digits or hyphens, starting with a letter.'
          : null,
    () =>
      logo && !/^(https:\/\/|data:image\/)/.test(logo)
        ? 'The logo must be an https:// URL.'
        : Object.values(colors).some((c) => !/^#[0-9a-fA-F]{6}$/.test(c))
          ? 'Every colour must look like #1a2b3c.'
          : null,
    () =>
      signIn.method === 'oidc' && (!signIn.issuer || !signIn.clientId)
        ? 'OpenID Connect needs an issuer URL and a client id.'
        : signIn.method === 'saml' && (!signIn.entryPoint || !signIn.idpIssuer || !signIn.idpCert)
          ? 'SAML needs the IdP sign-in URL, issuer and certificate.'
          : null,
    () => null,
    () => (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(adminEmail.trim()) ? 'Enter the first admin’s email address.' : null),
    () => null,
  ];

  const next = () => {
    const err = checks[step]!();
    setProblem(err);
    if (!err) setStep(step + 1);
  };

  const submit = () =>
    provision.mutate({
      slug,
      name: name.trim(),
      plan: { tier },
      branding: { appName: appName.trim() || name.trim(), ...(logo ? { logo } : {}), colors },
      auth:
        signIn.method === 'oidc'
          ? {
              method: 'oidc',
              oidc: {
                issuer: signIn.issuer,
                clientId: signIn.clientId,
                ...(signIn.clientSecret ? { clientSecret: signIn.clientSecret } : {}),
              },
            }
          : signIn.method === 'saml'
            ? { method: 'saml', saml: { entryPoint: signIn.entryPoint, idpIssuer: signIn.idpIssuer, idpCert: signIn.idpCert } }
            : { method: 'password' },
      channelTypes: channels,
      firstAdmin: { email: adminEmail.trim(), ...(adminName.trim() ? { displayName: adminName.trim() } : {}) },
    });

  if (provision.isPending || provision.isSuccess) return <ProvisionProgress name={name} result={provision.data} />;

  const zodIssues = (provision.error?.data as { zodIssues?: Array<{ path: unknown[]; message: string }> } | undefined)?.zodIssues;
  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_320px]">
      <div className="border-border bg-background space-y-5 rounded-xl border p-4 shadow-sm sm:p-6">
        <ol className="flex flex-wrap gap-2 text-xs" aria-label="Steps">
          {STEPS.map((s, i) => (
            <li
              key={s}
              aria-current={i === step ? 'step' : undefined}
              className={`rounded-full px-2.5 py-1 ${i === step ? 'bg-primary text-primary-foreground' : i < step ? 'bg-green-100 text-green-800' : 'bg-muted text-muted-foreground'}`}
            >
              {i + 1}. {s}
            </li>
          ))}
        </ol>
        <h2 className="text-lg font-semibold">{STEPS[step]}</h2>
        <ErrorText error={problem} />
        {provision.error && (
          <div className="space-y-1">
            <ErrorText error={`Provisioning failed: ${provision.error.message}`} />
            {zodIssues?.map((i) => (
              <p key={i.path.join('.')} className="text-destructive text-sm">
                {i.path.join('.')}: {i.message}
              </p>
            ))}
          </div>
        )}

        {step === 0 && (
          <div className="space-y-4">
            <Labelled id="org-name" label="Organisation name">
              <input
                id="org-name"
                className={inputClass}
                value={name}
                maxLength={120}
                autoFocus
                onChange={(e) => (setName(e.target.value), slugEdited || setSlug(toSlug(e.target.value)))}
              />
            </Labelled>
            <Labelled
              id="org-slug"
              label="Address (subdomain)"
              hint={slug ? `${slug}.<your domain>` : 'Lower-case letters, digits and hyphens'}
            >
              <input
                id="org-slug"
                className={inputClass}
                value={slug}
                maxLength={40}
                onChange={(e) => (setSlug(e.target.value.toLowerCase()), setSlugEdited(true))}
              />
            </Labelled>
            <Labelled id="org-plan" label="Plan">
              <select id="org-plan" className={inputClass} value={tier} onChange={(e) => setTier(e.target.value as Tier)}>
                {(Object.keys(defaults.plans) as Tier[]).map((t) => (
                  <option key={t} value={t}>
                    {t} — {defaults.plans[t].maxUsers} users, {defaults.plans[t].maxStorageMB.toLocaleString('en')} MB
                  </option>
                ))}
              </select>
            </Labelled>
          </div>
        )}
        {step === 1 && (
          <div className="space-y-4">
            <Labelled id="app-name" label="App name (browser title)" hint={`Defaults to ${name || 'the organisation name'}`}>
              <input
                id="app-name"
                className={inputClass}
                value={appName}
                maxLength={60}
                onChange={(e) => setAppName(e.target.value)}
              />
            </Labelled>
            <Labelled id="logo" label="Logo URL (https)">
              <input
                id="logo"
                className={inputClass}
                value={logo}
                placeholder="https://…/logo.svg"
                onChange={(e) => setLogo(e.target.value.trim())}
              />
            </Labelled>
            <ColorFields colors={colors} onChange={setColors} />
          </div>
        )}
        {step === 2 && <SignInFields value={signIn} onChange={setSignIn} />}
        {step === 3 && (
          <fieldset className="space-y-2">
            <legend className="text-muted-foreground mb-2 text-sm">
              Team-chat channel types. Auto-created channels exist from day one and every user joins them.
            </legend>
            {channels.map((c, i) => (
              <label
                key={c.key}
                className="border-border flex items-center justify-between gap-3 rounded-md border px-3 py-2 text-sm"
              >
                <span>
                  <strong>{c.label}</strong> <span className="text-muted-foreground">({c.key})</span>
                </span>
                <span className="flex items-center gap-2">
                  <input
                    type="checkbox"
                    checked={c.autoCreate}
                    onChange={(e) => setChannels(channels.map((x, j) => (j === i ? { ...x, autoCreate: e.target.checked } : x)))}
                  />
                  auto-create
                </span>
              </label>
            ))}
          </fieldset>
        )}
        {step === 4 && (
          <div className="space-y-4">
            <Labelled id="admin-email" label="First admin’s email" hint="They receive an invitation to set a password.">
              <input
                id="admin-email"
                type="email"
                className={inputClass}
                value={adminEmail}
                maxLength={320}
                autoComplete="off"
                onChange={(e) => setAdminEmail(e.target.value)}
              />
            </Labelled>
            <Labelled id="admin-name" label="First admin’s name (optional)">
              <input
                id="admin-name"
                className={inputClass}
                value={adminName}
                maxLength={120}
                onChange={(e) => setAdminName(e.target.value)}
              />
            </Labelled>
          </div>
        )}
        {step === 5 && (
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm" data-testid="wizard-review">
            <dt className="text-muted-foreground">Name</dt>
            <dd>{name}</dd>
            <dt className="text-muted-foreground">Address</dt>
            <dd>{slug}</dd>
            <dt className="text-muted-foreground">Plan</dt>
            <dd className="capitalize">{tier}</dd>
            <dt className="text-muted-foreground">App name</dt>
            <dd>{appName || name}</dd>
            <dt className="text-muted-foreground">Sign-in</dt>
            <dd>{signIn.method}</dd>
            <dt className="text-muted-foreground">Auto channels</dt>
            <dd>
              {channels
                .filter((c) => c.autoCreate)
                .map((c) => c.label)
                .join(', ') || 'none'}
            </dd>
            <dt className="text-muted-foreground">First admin</dt>
            <dd className="break-all">{adminEmail}</dd>
          </dl>
        )}
        <div className="flex justify-between gap-3 pt-2">
          <Button variant="secondary" onClick={() => (setProblem(null), setStep(step - 1))} disabled={step === 0}>
            Back
          </Button>
          {step < STEPS.length - 1 ? (
            <Button onClick={next}>Next</Button>
          ) : (
            <Button onClick={submit}>Provision organisation</Button>
          )}
        </div>
      </div>
      <aside className="space-y-2">
        <p className="text-muted-foreground text-sm font-medium">Live preview</p>
        <BrandPreview appName={appName || name} logo={logo || undefined} colors={colors} />
      </aside>
    </div>
  );
}
