'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { ORG_FEATURES, PLAN_TIERS } from '@/server/db/models/platform/org-constants';
import { useTRPC } from '@/trpc/client';
import { Button, Card, ErrorText, inputClass, Labelled, Notice } from '../../../_ui/ui';
import type { AdminOrg } from './org-types';

const label = (f: string) => f.replace(/([A-Z])/g, ' $1').replace(/^./, (s) => s.toUpperCase());

/** The 11 feature flags and the plan limits (enforced on invite and upload). */
export function FeaturesPlan({ org, onSaved }: { org: AdminOrg; onSaved: () => void }) {
  const trpc = useTRPC();
  const save = useMutation(trpc.platform.orgs.update.mutationOptions({ onSuccess: onSaved }));
  const [features, setFeatures] = useState(() => Object.fromEntries(ORG_FEATURES.map((f) => [f, org.features?.[f] ?? true])));
  const [plan, setPlan] = useState(org.plan);
  return (
    <Card title="Features and plan">
      <form
        className="space-y-5"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({
            slug: org.slug,
            patch: { features, plan: { tier: plan.tier, maxUsers: plan.maxUsers, maxStorageMB: plan.maxStorageMB } },
          });
        }}
      >
        <fieldset>
          <legend className="mb-2 text-sm font-medium">Features</legend>
          <div className="grid grid-cols-1 gap-2 sm:grid-cols-3">
            {ORG_FEATURES.map((f) => (
              <label key={f} className="border-border flex items-center gap-2 rounded-md border px-3 py-2 text-sm">
                <input
                  type="checkbox"
                  checked={features[f]}
                  onChange={(e) => setFeatures({ ...features, [f]: e.target.checked })}
                />
                {label(f)}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
          <Labelled id="plan-tier" label="Plan">
            <select
              id="plan-tier"
              className={inputClass}
              value={plan.tier}
              onChange={(e) => setPlan({ ...plan, tier: e.target.value as AdminOrg['plan']['tier'] })}
            >
              {PLAN_TIERS.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </Labelled>
          <Labelled id="plan-users" label="Max users">
            <input
              id="plan-users"
              type="number"
              min={1}
              className={inputClass}
              value={plan.maxUsers}
              onChange={(e) => setPlan({ ...plan, maxUsers: Number(e.target.value) })}
            />
          </Labelled>
          <Labelled id="plan-storage" label="Max storage (MB)">
            <input
              id="plan-storage"
              type="number"
              min={1}
              className={inputClass}
              value={plan.maxStorageMB}
              onChange={(e) => setPlan({ ...plan, maxStorageMB: Number(e.target.value) })}
            />
          </Labelled>
        </div>
        <ErrorText error={save.error} />
        {save.isSuccess && <Notice>Features and plan saved.</Notice>}
        <Button type="submit" busy={save.isPending}>
          Save features and plan
        </Button>
      </form>
    </Card>
  );
}
