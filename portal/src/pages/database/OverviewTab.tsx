import {
  ActionIcon,
  Button,
  Code,
  CopyButton,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { lazy, Suspense, useState, type FormEvent } from 'react';
import { api, okResponse } from '../../api/client';
import type { DatabaseView } from '../../api/views';
import { ErrorNotice, Loading } from '../../components/Feedback';
import { ListState } from '../../components/ListState';
import { StatusBadge } from '../../components/StatusBadge';
import { KEYSPACE_NAME, useRegions } from '../../databases';
import { useDatabaseChange } from './mutations';

const HealthCharts = lazy(() => import('./HealthCharts'));

/** The API endpoint clients such as astra-db-ts take: the data endpoint's base. */
export function apiEndpoint(database: DatabaseView): string {
  const primary = database.info.datacenters[0];
  return primary ? primary.dataEndpointUrl.replace(/\/api\/rest$/, '') : '';
}

export function OverviewTab({ database }: { database: DatabaseView }) {
  const endpoint = apiEndpoint(database);
  return (
    <Stack gap="xl">
      <section aria-labelledby="endpoint-title">
        <Title order={3} id="endpoint-title" mb="xs">
          API endpoint
        </Title>
        <Group>
          <Code data-testid="api-endpoint">{endpoint}</Code>
          <CopyButton value={endpoint}>
            {({ copied, copy }) => (
              <Button size="xs" variant="default" onClick={copy}>
                {copied ? 'Copied' : 'Copy endpoint'}
              </Button>
            )}
          </CopyButton>
        </Group>
      </section>
      <Datacenters database={database} />
      <Keyspaces database={database} />
      <section aria-labelledby="health-title">
        <Title order={3} id="health-title" mb="xs">
          Health
        </Title>
        <Suspense fallback={<Loading label="Loading charts…" />}>
          <HealthCharts databaseId={database.id} />
        </Suspense>
      </section>
    </Stack>
  );
}

function Datacenters({ database }: { database: DatabaseView }) {
  const regions = useRegions();
  const [region, setRegion] = useState<string | null>(null);
  const add = useDatabaseChange(database.id, (name: string) =>
    okResponse(
      api.POST('/v2/databases/{databaseId}/datacenters', {
        params: { path: { databaseId: database.id } },
        body: [{ cloudProvider: database.info.cloudProvider, region: name, tier: database.info.tier }],
      }),
    ),
  );
  const remove = useDatabaseChange(database.id, (datacenterId: string) =>
    okResponse(
      api.POST('/v2/databases/{databaseId}/datacenters/{datacenterId}/terminate', {
        params: { path: { databaseId: database.id, datacenterId } },
      }),
    ),
  );
  const used = new Set(database.info.datacenters.map((d) => d.region));
  const options = (regions.data ?? [])
    .filter((r) => r.cloudProvider.toUpperCase() === database.info.cloudProvider.toUpperCase() && !used.has(r.name))
    .map((r) => r.name);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (region) add.mutate(region, { onSuccess: () => setRegion(null) });
  };
  return (
    <section aria-labelledby="regions-title">
      <Title order={3} id="regions-title" mb="xs">
        Regions
      </Title>
      <ErrorNotice error={add.error ?? remove.error} />
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Region</Table.Th>
            <Table.Th>Datacenter</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {database.info.datacenters.map((dc) => (
            <Table.Tr key={dc.id}>
              <Table.Td>{dc.region}</Table.Td>
              <Table.Td>{dc.name}</Table.Td>
              <Table.Td>
                <StatusBadge status={dc.status} />
              </Table.Td>
              <Table.Td>
                {database.info.datacenters.length > 1 && (
                  <Button
                    size="xs"
                    color="red"
                    variant="subtle"
                    loading={remove.isPending && remove.variables === dc.id}
                    onClick={() => remove.mutate(dc.id)}
                  >
                    Remove region {dc.region}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <form onSubmit={submit}>
        <Group align="end" mt="sm">
          <Select
            label="Add a region"
            data={options}
            value={region}
            onChange={setRegion}
            searchable
            nothingFoundMessage="No other region of this provider"
            w={280}
          />
          <Button type="submit" disabled={!region} loading={add.isPending}>
            Add region
          </Button>
        </Group>
      </form>
    </section>
  );
}

function Keyspaces({ database }: { database: DatabaseView }) {
  const [name, setName] = useState('');
  const path = (keyspaceName: string) => ({ params: { path: { databaseId: database.id, keyspaceName } } });
  const add = useDatabaseChange(database.id, (keyspace: string) =>
    okResponse(api.POST('/v2/databases/{databaseId}/keyspaces/{keyspaceName}', path(keyspace))),
  );
  const remove = useDatabaseChange(database.id, (keyspace: string) =>
    okResponse(api.DELETE('/v2/databases/{databaseId}/keyspaces/{keyspaceName}', path(keyspace))),
  );
  const invalid = name !== '' && !KEYSPACE_NAME.test(name);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name && !invalid) add.mutate(name, { onSuccess: () => setName('') });
  };
  return (
    <section aria-labelledby="keyspaces-title">
      <Title order={3} id="keyspaces-title" mb="xs">
        Keyspaces
      </Title>
      <ErrorNotice error={add.error ?? remove.error} />
      <ListState
        items={database.info.keyspaces}
        loading="Loading keyspaces…"
        whenEmpty="This database has no keyspace. Add one below."
      >
        {(keyspaces) => (
          <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0 }}>
            {keyspaces.map((keyspace) => (
              <Group component="li" key={keyspace} gap="xs">
                <Text>{keyspace}</Text>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={`Remove keyspace ${keyspace}`}
                  loading={remove.isPending && remove.variables === keyspace}
                  onClick={() => remove.mutate(keyspace)}
                >
                  ×
                </ActionIcon>
              </Group>
            ))}
          </Stack>
        )}
      </ListState>
      <form onSubmit={submit}>
        <Group align="end" mt="sm">
          <TextInput
            label="New keyspace"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={invalid ? 'Letters, digits and underscores, starting with a letter.' : undefined}
          />
          <Button type="submit" disabled={!name || invalid} loading={add.isPending}>
            Add keyspace
          </Button>
        </Group>
      </form>
    </section>
  );
}
