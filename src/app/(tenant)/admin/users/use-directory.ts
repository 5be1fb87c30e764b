'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/trpc/client';

/** Roles, teams and branches: the choices of every user form. */
export function useDirectory() {
  const trpc = useTRPC();
  const roles = useQuery(trpc.admin.roles.list.queryOptions());
  const teams = useQuery(trpc.admin.teams.list.queryOptions());
  const branches = useQuery(trpc.admin.branches.list.queryOptions());
  return {
    roles: roles.data ?? [],
    teams: (teams.data ?? []).map((t) => ({ id: t.id, label: t.name })),
    branches: branches.data ?? [],
    error: roles.error ?? teams.error ?? branches.error,
  };
}
