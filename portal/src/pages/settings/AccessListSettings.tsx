import { Alert, Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { covers } from '../../addresses';
import { api, ok } from '../../api/client';
import { ErrorNotice } from '../../components/Feedback';
import { FormModal } from '../../components/FormModal';
import { ListState } from '../../components/ListState';
import { useSignedIn } from '../../session';

type Entry = { address: string; description?: string; enabled?: boolean };

/** The DevOps API access list: which addresses may call Orrery's API (and use the Portal) at all. */
export function AccessListSettings({ orgId }: { orgId: string }) {
  const client = useQueryClient();
  const session = useSignedIn();
  const path = { params: { path: { orgId } } };
  const acl = useQuery({
    queryKey: ['devops-acl'],
    queryFn: () => ok(api.GET('/v2/organizations/{orgId}/devops-acl', path)),
  });
  const [address, setAddress] = useState('');
  const [description, setDescription] = useState('');
  const [pending, setPending] = useState<Entry[] | null>(null);
  const replace = useMutation({
    mutationFn: (entries: Entry[]) => ok(api.PUT('/v2/organizations/{orgId}/devops-acl', { ...path, body: entries })),
    onSuccess: async () => {
      setPending(null);
      setAddress('');
      setDescription('');
      await client.invalidateQueries({ queryKey: ['devops-acl'] });
    },
  });
  const current: Entry[] = (acl.data?.addresses ?? []).map((a) => ({
    address: a.address,
    description: a.description,
    enabled: a.enabled,
  }));
  // An empty list is off, so only a non-empty list without the caller's address shuts the caller out.
  const shutsOut = (entries: Entry[]) =>
    entries.length > 0 && !entries.some((e) => e.enabled !== false && covers(e.address, session.address));
  const propose = (entries: Entry[]) => (shutsOut(entries) ? setPending(entries) : replace.mutate(entries));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (address) propose([...current, { address, description, enabled: true }]);
  };

  return (
    <Stack>
      <Title order={2}>Access list</Title>
      <Text size="sm">
        When the list has entries, only those addresses may use Orrery's API and this Portal. You are connecting from{' '}
        <strong>{session.address}</strong>.
      </Text>
      <ErrorNotice error={pending ? undefined : replace.error} title="The access list was not changed" />
      <ListState
        items={acl.data ? current : undefined}
        error={acl.error}
        loading="Loading the access list…"
        whenEmpty="The list is empty, so every address is allowed. Add your own address first, then the others that need access."
      >
        {(entries) => (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Address</Table.Th>
                <Table.Th>Description</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map((entry) => (
                <Table.Tr key={entry.address}>
                  <Table.Td>{entry.address}</Table.Td>
                  <Table.Td>{entry.description}</Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      color="red"
                      variant="subtle"
                      onClick={() => propose(current.filter((e) => e.address !== entry.address))}
                    >
                      Remove {entry.address}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </ListState>
      <form onSubmit={submit}>
        <Group align="end">
          <TextInput
            label="Address or CIDR block"
            value={address}
            onChange={(e) => setAddress(e.currentTarget.value)}
          />
          <TextInput label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          <Button type="submit" disabled={!address} loading={replace.isPending}>
            Add address
          </Button>
        </Group>
      </form>
      <FormModal
        opened={pending !== null}
        onClose={() => setPending(null)}
        title="This change shuts you out"
        submitLabel="Save anyway"
        danger
        error={replace.error}
        submitting={replace.isPending}
        onSubmit={() => pending && replace.mutate(pending)}
      >
        <Alert color="red" role="alert">
          Your address {session.address} is not in the new list. After this change, your requests — this Portal included
          — will be refused until someone adds it back from an allowed address.
        </Alert>
      </FormModal>
    </Stack>
  );
}
