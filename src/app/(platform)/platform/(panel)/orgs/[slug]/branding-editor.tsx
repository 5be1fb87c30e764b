'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/trpc/client';
import { BrandPreview } from '../../../_ui/brand-preview';
import { ColorFields } from '../../../_ui/color-fields';
import { Button, Card, ErrorText, inputClass, Notice } from '../../../_ui/ui';
import type { AdminOrg } from './org-types';

/** App name, logo, favicon and the 12 colours, with the preview following every keystroke. */
export function BrandingEditor({ org, onSaved }: { org: AdminOrg; onSaved: () => void }) {
  const trpc = useTRPC();
  const save = useMutation(trpc.platform.orgs.update.mutationOptions({ onSuccess: onSaved }));
  const [appName, setAppName] = useState(org.branding.appName);
  const [logo, setLogo] = useState(org.branding.logo ?? '');
  const [favicon, setFavicon] = useState(org.branding.favicon ?? '');
  const [colors, setColors] = useState(org.branding.colors);
  const text = (id: string, label: string, value: string, set: (v: string) => void, hint?: string) => (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <input id={id} className={inputClass} value={value} onChange={(e) => set(e.target.value)} />
      {hint && <p className="text-muted-foreground text-xs">{hint}</p>}
    </div>
  );
  return (
    <Card title="Branding" description="Rendered on the server as CSS variables: users never see another brand flash by.">
      <form
        className="grid gap-6 lg:grid-cols-[1fr_300px]"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({
            slug: org.slug,
            patch: { branding: { appName: appName.trim(), ...(logo ? { logo } : {}), ...(favicon ? { favicon } : {}), colors } },
          });
        }}
      >
        <div className="space-y-4">
          {text('brand-app-name', 'App name (browser title)', appName, setAppName)}
          {text('brand-logo', 'Logo URL', logo, setLogo, 'https:// or an image data: URL')}
          {text('brand-favicon', 'Favicon URL', favicon, setFavicon)}
          <ColorFields colors={colors} onChange={setColors} />
          <ErrorText error={save.error} />
          {save.isSuccess && <Notice>Branding saved. Every open page of the organisation picks it up on its next load.</Notice>}
          <Button type="submit" busy={save.isPending}>
            Save branding
          </Button>
        </div>
        <aside className="space-y-2 lg:sticky lg:top-4 lg:self-start">
          <p className="text-muted-foreground text-sm font-medium">Live preview</p>
          <BrandPreview appName={appName} logo={logo || undefined} colors={colors} />
        </aside>
      </form>
    </Card>
  );
}
