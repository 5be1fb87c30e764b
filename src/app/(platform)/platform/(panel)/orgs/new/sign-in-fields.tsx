'use client';

import { inputClass } from '../../../_ui/ui';

/** Sign-in method of a new organisation; the OIDC client secret is write-only from the start. */
export interface SignInState {
  method: 'password' | 'oidc' | 'saml';
  issuer: string;
  clientId: string;
  clientSecret: string;
  entryPoint: string;
  idpIssuer: string;
  idpCert: string;
}

const METHODS = [
  { value: 'password', label: 'Email and password' },
  { value: 'oidc', label: 'OpenID Connect (Okta, Auth0, any compliant IdP)' },
  { value: 'saml', label: 'SAML 2.0' },
] as const;

export function SignInFields({ value, onChange }: { value: SignInState; onChange: (v: SignInState) => void }) {
  const field = (key: keyof SignInState, label: string, type = 'text') => (
    <div className="space-y-1.5">
      <label htmlFor={`signin-${key}`} className="block text-sm font-medium">
        {label}
      </label>
      {key === 'idpCert' ? (
        <textarea
          id={`signin-${key}`}
          className={`${inputClass} font-mono`}
          rows={4}
          value={value[key]}
          onChange={(e) => onChange({ ...value, [key]: e.target.value })}
        />
      ) : (
        <input
          id={`signin-${key}`}
          type={type}
          className={inputClass}
          value={value[key]}
          autoComplete="off"
          onChange={(e) => onChange({ ...value, [key]: e.target.value })}
        />
      )}
    </div>
  );
  return (
    <div className="space-y-4">
      <fieldset className="space-y-2">
        <legend className="mb-1 text-sm font-medium">How do this organisation’s users sign in?</legend>
        {METHODS.map((m) => (
          <label key={m.value} className="flex items-center gap-2 text-sm">
            <input
              type="radio"
              name="signin-method"
              value={m.value}
              checked={value.method === m.value}
              onChange={() => onChange({ ...value, method: m.value })}
            />
            {m.label}
          </label>
        ))}
      </fieldset>
      {value.method === 'oidc' && (
        <>
          {field('issuer', 'Issuer URL')}
          {field('clientId', 'Client id')}
          {field('clientSecret', 'Client secret (stored encrypted, never shown again)', 'password')}
        </>
      )}
      {value.method === 'saml' && (
        <>
          {field('entryPoint', 'IdP sign-in URL')}
          {field('idpIssuer', 'IdP issuer (entity id)')}
          {field('idpCert', 'IdP signing certificate (PEM)')}
        </>
      )}
    </div>
  );
}
