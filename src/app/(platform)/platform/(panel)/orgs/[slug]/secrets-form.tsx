'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/trpc/client';
import { Badge, Button, Card, ErrorText, Labelled, Notice, inputClass } from '../../../_ui/ui';
import type { AdminOrg } from './org-types';

/**
 * Sign-in method and the organisation's secrets. Write-only: the panel only ever knows whether a
 * secret is set; typing a value replaces it, "clear" removes it, an empty field leaves it alone.
 */
type SecretPath = string;

export function SecretsForm({ org, onSaved }: { org: AdminOrg; onSaved: () => void }) {
  const trpc = useTRPC();
  const [method, setMethod] = useState(org.auth?.method ?? 'password');
  const [values, setValues] = useState<Record<SecretPath, string>>({});
  const [clear, setClear] = useState<Record<SecretPath, boolean>>({});
  const saveMethod = useMutation(trpc.platform.orgs.update.mutationOptions({ onSuccess: onSaved }));
  const saveSecrets = useMutation(
    trpc.platform.orgs.setSecrets.mutationOptions({
      onSuccess: () => {
        setValues({});
        setClear({});
        onSaved();
      },
    }),
  );
  const paths = Object.keys(org.secrets);
  const submitSecrets = () => {
    const secrets: Record<string, string | null> = {};
    for (const p of paths) {
      if (clear[p]) secrets[p] = null;
      else if (values[p]) secrets[p] = values[p]!;
    }
    saveSecrets.mutate({ slug: org.slug, secrets: secrets as never });
  };
  return (
    <Card title="Sign-in and secrets" description="Secrets are stored encrypted and never shown again, here or anywhere.">
      <div className="space-y-6">
        <form
          className="flex flex-col gap-2 sm:flex-row sm:items-end"
          onSubmit={(e) => {
            e.preventDefault();
            saveMethod.mutate({ slug: org.slug, patch: { authMethod: method } });
          }}
        >
          <div className="flex-1">
            <Labelled id="auth-method" label="Sign-in method">
              <select
                id="auth-method"
                className={inputClass}
                value={method}
                onChange={(e) => setMethod(e.target.value as typeof method)}
              >
                <option value="password">Email and password</option>
                <option value="oidc">OpenID Connect</option>
                <option value="saml">SAML 2.0</option>
              </select>
            </Labelled>
          </div>
          <Button type="submit" variant="secondary" busy={saveMethod.isPending}>
            Save method
          </Button>
        </form>
        <ErrorText error={saveMethod.error} />
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            submitSecrets();
          }}
        >
          {paths.map((p) => (
            <div
              key={p}
              className="border-border grid grid-cols-1 items-center gap-2 border-b pb-3 sm:grid-cols-[220px_1fr_auto]"
            >
              <div className="flex items-center justify-between gap-2 sm:justify-start">
                <label htmlFor={`secret-${p}`} className="font-mono text-xs">
                  {p}
                </label>
                <span data-testid={`secret-status-${p}`}>
                  <Badge>{org.secrets[p] ? 'set' : 'not set'}</Badge>
                </span>
              </div>
              <input
                id={`secret-${p}`}
                type="password"
                autoComplete="new-password"
                className={inputClass}
                placeholder={org.secrets[p] ? 'Type to replace' : 'Type to set'}
                value={values[p] ?? ''}
                disabled={clear[p]}
                onChange={(e) => setValues({ ...values, [p]: e.target.value })}
              />
              <label className="flex items-center gap-1.5 text-xs">
                <input
                  type="checkbox"
                  disabled={!org.secrets[p]}
                  checked={!!clear[p]}
                  onChange={(e) => setClear({ ...clear, [p]: e.target.checked })}
                />{' '}
                clear
              </label>
            </div>
          ))}
          <ErrorText error={saveSecrets.error} />
          {saveSecrets.isSuccess && <Notice>Secrets updated.</Notice>}
          <Button type="submit" busy={saveSecrets.isPending}>
            Save secrets
          </Button>
        </form>
      </div>
    </Card>
  );
}
