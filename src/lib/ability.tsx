'use client';

import { createMongoAbility } from '@casl/ability';
import { unpackRules, type PackRule } from '@casl/ability/extra';
import { AbilityProvider as CaslProvider, Can, useAbility as useCaslAbility } from '@casl/react';
import { useQuery } from '@tanstack/react-query';
import { useMemo, type ReactNode } from 'react';
import type { AppAbility } from '@/server/authz';
import { useTRPC } from '@/trpc/client';

/**
 * The browser's copy of the user's CASL ability, built from the packed rules `me.get` ships
 * (placeholders already resolved on the server). It only hides what the user cannot do: every
 * procedure checks again on the server. Empty until loaded, so nothing flashes into view.
 */
export { Can };
export const useAbility = () => useCaslAbility<AppAbility>();

export function useMe() {
  const trpc = useTRPC();
  return useQuery(trpc.me.get.queryOptions(undefined, { staleTime: 30_000 }));
}

export function AbilityProvider({ children }: { children: ReactNode }) {
  const me = useMe();
  const ability = useMemo(
    () => createMongoAbility(unpackRules((me.data?.rules ?? []) as PackRule<never>[]) as never) as AppAbility,
    [me.data],
  );
  return <CaslProvider value={ability}>{children}</CaslProvider>;
}
