'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '@/trpc/client';
import { ItemList } from '../_ui/item-list';

const opt = (v: string | undefined) => (v ? v : undefined);

export function TeamsAdmin() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.admin.teams.list.queryOptions());
  const onSuccess = () => qc.invalidateQueries({ queryKey: trpc.admin.teams.list.queryKey() });
  const create = useMutation(trpc.admin.teams.create.mutationOptions({ onSuccess }));
  const update = useMutation(trpc.admin.teams.update.mutationOptions({ onSuccess }));
  const remove = useMutation(trpc.admin.teams.delete.mutationOptions({ onSuccess }));
  return (
    <ItemList
      noun="team"
      fields={[
        { key: 'name', label: 'Name', required: true },
        { key: 'description', label: 'Description' },
      ]}
      items={list.data}
      loading={list.isPending}
      error={create.error ?? update.error ?? remove.error ?? list.error}
      busy={create.isPending || update.isPending || remove.isPending}
      onCreate={(v) => create.mutateAsync({ name: v.name ?? '', description: opt(v.description) })}
      onUpdate={(id, v) => update.mutateAsync({ id, name: v.name, description: v.description ?? '' })}
      onDelete={(id) => remove.mutateAsync({ id })}
    />
  );
}
