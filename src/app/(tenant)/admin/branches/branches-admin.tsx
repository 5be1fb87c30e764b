'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '@/trpc/client';
import { ItemList } from '../_ui/item-list';

export function BranchesAdmin() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.admin.branches.list.queryOptions());
  const onSuccess = () => qc.invalidateQueries({ queryKey: trpc.admin.branches.list.queryKey() });
  const create = useMutation(trpc.admin.branches.create.mutationOptions({ onSuccess }));
  const update = useMutation(trpc.admin.branches.update.mutationOptions({ onSuccess }));
  const remove = useMutation(trpc.admin.branches.delete.mutationOptions({ onSuccess }));
  return (
    <ItemList
      noun="branch"
      fields={[
        { key: 'name', label: 'Name', required: true },
        { key: 'code', label: 'Code', required: true },
        { key: 'address', label: 'Address' },
      ]}
      items={list.data}
      loading={list.isPending}
      error={create.error ?? update.error ?? remove.error ?? list.error}
      busy={create.isPending || update.isPending || remove.isPending}
      onCreate={(v) => create.mutateAsync({ name: v.name ?? '', code: v.code ?? '', address: v.address || undefined })}
      onUpdate={(id, v) => update.mutateAsync({ id, name: v.name, code: v.code, address: v.address ?? '' })}
      onDelete={(id) => remove.mutateAsync({ id })}
    />
  );
}
