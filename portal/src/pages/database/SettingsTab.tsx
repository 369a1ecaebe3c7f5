import { Alert, Button, Group, NumberInput, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api, ok, okResponse } from '../../api/client';
import type { DatabaseView } from '../../api/views';
import { ErrorNotice } from '../../components/Feedback';
import { FormModal } from '../../components/FormModal';
import { ListState } from '../../components/ListState';
import { useDatabaseChange } from './mutations';

export function SettingsTab({ database }: { database: DatabaseView }) {
  return (
    <Stack gap="xl">
      <AccessList databaseId={database.id} />
      <Lifecycle database={database} />
      <Terminate database={database} />
    </Stack>
  );
}

function AccessList({ databaseId }: { databaseId: string }) {
  const path = { params: { path: { databaseId } } };
  const list = useQuery({
    queryKey: ['access-list', databaseId],
    queryFn: () => ok(api.GET('/v2/databases/{databaseId}/access-list', path)),
  });
  const [address, setAddress] = useState('');
  const change = useDatabaseChange(
    databaseId,
    async (body: {
      addresses?: { address: string; description: string; enabled: boolean }[];
      configurations?: { accessListEnabled: boolean };
    }) => {
      await okResponse(api.PATCH('/v2/databases/{databaseId}/access-list', { ...path, body }));
      await list.refetch();
    },
  );
  const data = list.data as
    | { addresses?: { address: string; description?: string }[]; configurations?: { accessListEnabled?: boolean } }
    | undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (address)
      change.mutate({ addresses: [{ address, description: '', enabled: true }] }, { onSuccess: () => setAddress('') });
  };
  return (
    <section aria-labelledby="acl-title">
      <Title order={3} id="acl-title" mb="xs">
        Access list
      </Title>
      <Stack>
        <ErrorNotice error={change.error} />
        <Switch
          label="Restrict public access"
          disabled={!data}
          checked={data?.configurations?.accessListEnabled ?? false}
          onChange={(e) => change.mutate({ configurations: { accessListEnabled: e.currentTarget.checked } })}
        />
        <ListState
          items={data ? (data.addresses ?? []) : undefined}
          error={list.error}
          loading="Loading the access list…"
          whenEmpty="No addresses are listed. Add an address or CIDR block below, then turn on Restrict public access."
        >
          {(addresses) => (
            <Table>
              <Table.Tbody>
                {addresses.map((a) => (
                  <Table.Tr key={a.address}>
                    <Table.Td>{a.address}</Table.Td>
                    <Table.Td>{a.description}</Table.Td>
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
            <Button type="submit" disabled={!address} loading={change.isPending}>
              Add address
            </Button>
          </Group>
        </form>
      </Stack>
    </section>
  );
}

function Lifecycle({ database }: { database: DatabaseView }) {
  const path = { params: { path: { databaseId: database.id } } };
  const actions = new Set(database.availableActions ?? []);
  const [units, setUnits] = useState<number | string>(database.info.capacityUnits);
  const park = useDatabaseChange(database.id, () => okResponse(api.POST('/v2/databases/{databaseId}/park', path)));
  const unpark = useDatabaseChange(database.id, () => okResponse(api.POST('/v2/databases/{databaseId}/unpark', path)));
  const resize = useDatabaseChange(database.id, () =>
    okResponse(api.POST('/v2/databases/{databaseId}/resize', { ...path, body: { capacityUnits: Number(units) } })),
  );
  if (!actions.has('park') && !actions.has('unpark') && !actions.has('resize')) {
    return (
      <section aria-labelledby="lifecycle-title">
        <Title order={3} id="lifecycle-title" mb="xs">
          Park and resize
        </Title>
        <Text c="dimmed">
          A serverless database scales by itself: parking and resizing apply to classic databases only.
        </Text>
      </section>
    );
  }
  return (
    <section aria-labelledby="lifecycle-title">
      <Title order={3} id="lifecycle-title" mb="xs">
        Park and resize
      </Title>
      <ErrorNotice error={park.error ?? unpark.error ?? resize.error} />
      <Group align="end">
        {actions.has('park') && (
          <Button variant="default" loading={park.isPending} onClick={() => park.mutate()}>
            Park database
          </Button>
        )}
        {actions.has('unpark') && (
          <Button variant="default" loading={unpark.isPending} onClick={() => unpark.mutate()}>
            Unpark database
          </Button>
        )}
        {actions.has('resize') && (
          <>
            <NumberInput label="Capacity units" min={1} value={units} onChange={setUnits} w={160} />
            <Button variant="default" loading={resize.isPending} onClick={() => resize.mutate()}>
              Resize
            </Button>
          </>
        )}
      </Group>
    </section>
  );
}

function Terminate({ database }: { database: DatabaseView }) {
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const terminate = useDatabaseChange(database.id, () =>
    okResponse(api.POST('/v2/databases/{databaseId}/terminate', { params: { path: { databaseId: database.id } } })),
  );
  return (
    <section aria-labelledby="terminate-title">
      <Title order={3} id="terminate-title" mb="xs">
        Terminate database
      </Title>
      <Button
        color="red"
        onClick={() => setOpen(true)}
        disabled={!(database.availableActions ?? []).includes('terminate')}
      >
        Terminate database
      </Button>
      <FormModal
        opened={open}
        onClose={() => setOpen(false)}
        title={`Terminate ${database.info.name}`}
        submitLabel="Terminate"
        danger
        error={terminate.error}
        errorTitle="The database was not terminated"
        submitting={terminate.isPending}
        submitDisabled={typed !== database.info.name}
        onSubmit={() => terminate.mutate(undefined, { onSuccess: () => void navigate('/databases') })}
      >
        <Alert color="red">Terminating deletes the database and all of its data. It cannot be undone.</Alert>
        <TextInput
          label={`Type ${database.info.name} to confirm`}
          value={typed}
          onChange={(e) => setTyped(e.currentTarget.value)}
          autoComplete="off"
        />
      </FormModal>
    </section>
  );
}
