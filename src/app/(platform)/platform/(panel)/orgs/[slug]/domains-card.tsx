'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/trpc/client';
import { formatDate } from '../../../_ui/format';
import { Badge, Button, Card, ErrorText, inputClass } from '../../../_ui/ui';
import type { AdminOrg } from './org-types';

/** Custom domains: add -> publish the TXT record shown -> verify (a real DNS lookup) -> live. */
export function DomainsCard({ org, onChanged }: { org: AdminOrg; onChanged: () => void }) {
  const trpc = useTRPC();
  const [domain, setDomain] = useState('');
  const add = useMutation(trpc.platform.domains.add.mutationOptions({ onSuccess: () => (setDomain(''), onChanged()) }));
  const verify = useMutation(trpc.platform.domains.verify.mutationOptions({ onSettled: onChanged }));
  const remove = useMutation(trpc.platform.domains.remove.mutationOptions({ onSuccess: onChanged }));
  return (
    <Card title="Custom domains" description="Only verified domains open the workspace or get a certificate.">
      <div className="space-y-4">
        {org.customDomains.length === 0 ? (
          <p className="text-muted-foreground text-sm" data-testid="domains-empty">
            No custom domains. The workspace is reachable at its subdomain.
          </p>
        ) : (
          <ul className="space-y-3">
            {org.customDomains.map((d) => (
              <li key={d.domain} className="border-border space-y-2 rounded-lg border p-3 text-sm" data-testid="domain-row">
                <div className="flex flex-wrap items-center gap-2">
                  <strong className="break-all">{d.domain}</strong>
                  <Badge>{d.verified ? 'verified' : 'pending'}</Badge>
                  <span className="ml-auto flex gap-2">
                    {!d.verified && (
                      <Button
                        variant="secondary"
                        busy={verify.isPending && verify.variables?.domain === d.domain}
                        onClick={() => verify.mutate({ slug: org.slug, domain: d.domain })}
                      >
                        Verify now
                      </Button>
                    )}
                    <Button
                      variant="secondary"
                      onClick={() => window.confirm(`Remove ${d.domain}?`) && remove.mutate({ slug: org.slug, domain: d.domain })}
                    >
                      Remove
                    </Button>
                  </span>
                </div>
                {d.verified ? (
                  <p className="text-muted-foreground">Verified {formatDate(d.verifiedAt)}</p>
                ) : (
                  <div className="bg-muted space-y-1 rounded p-2 text-xs">
                    <p>Add this DNS TXT record, then verify:</p>
                    <p className="font-mono break-all">
                      {d.txtRecord.name} TXT &quot;{d.txtRecord.value}&quot;
                    </p>
                    {d.lastCheckError && <p className="text-destructive">Last check: {d.lastCheckError}</p>}
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
        <ErrorText error={add.error ?? verify.error ?? remove.error} />
        <form
          className="flex flex-col gap-2 sm:flex-row sm:items-end"
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate({ slug: org.slug, domain });
          }}
        >
          <div className="flex-1 space-y-1">
            <label htmlFor="new-domain" className="block text-sm font-medium">
              Add a domain
            </label>
            <input
              id="new-domain"
              className={inputClass}
              placeholder="support.example.com"
              value={domain}
              required
              onChange={(e) => setDomain(e.target.value)}
            />
          </div>
          <Button type="submit" busy={add.isPending}>
            Add domain
          </Button>
        </form>
      </div>
    </Card>
  );
}
