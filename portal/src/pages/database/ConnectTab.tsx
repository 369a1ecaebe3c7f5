import { Button, Code, Group, Menu, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import type { DatabaseView } from '../../api/views';
import { ErrorNotice } from '../../components/Feedback';
import { TokenOnce } from '../../components/SecretOnce';
import { useSignedIn } from '../../session';
import { apiEndpoint } from './OverviewTab';

const DATABASE_ADMINISTRATOR = 'Database Administrator';

/**
 * More → Generate Token: a custom "<name> Database Administrator" role with that role's permissions on
 * this database only (made once, then reused), and a new token holding it.
 */
function useGenerateDatabaseToken(database: DatabaseView, orgId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const roles = await ok(api.GET('/v2/organizations/roles'));
      const name = `${database.info.name} ${DATABASE_ADMINISTRATOR}`;
      let role = roles.find((r) => r.Name === name);
      if (!role) {
        const template = roles.find((r) => r.Name === DATABASE_ADMINISTRATOR);
        if (!template) throw new Error('The built-in Database Administrator role is missing.');
        const db = `drn:astra:org:${orgId}:db:${database.id}`;
        role = await ok(
          api.POST('/v2/organizations/roles', {
            body: {
              name,
              policy: {
                description: `Database Administrator of ${database.info.name} only`,
                effect: 'allow',
                resources: [db, `${db}:keyspace:*`, `${db}:keyspace:*:table:*`],
                actions: template.Policy.actions,
              },
            },
          }),
        );
      }
      const token = await ok(api.POST('/v2/tokens', { body: { roles: [role.ID], description: `${name} token` } }));
      await client.invalidateQueries({ queryKey: ['roles'] });
      await client.invalidateQueries({ queryKey: ['tokens'] });
      return token;
    },
  });
}

function useBundle(databaseId: string) {
  return useMutation({
    mutationFn: async () => {
      const answer = await ok(
        api.POST('/v2/databases/{databaseId}/secureBundleURL', { params: { path: { databaseId } } }),
      );
      const first = Array.isArray(answer) ? answer[0] : answer;
      if (!first) throw new Error('No bundle is available for this database.');
      window.location.assign(first.downloadURL);
    },
  });
}

export function ConnectTab({ database }: { database: DatabaseView }) {
  const session = useSignedIn();
  const generate = useGenerateDatabaseToken(database, session.orgId);
  const bundle = useBundle(database.id);
  const endpoint = apiEndpoint(database);
  const keyspace = database.info.keyspace;
  const tsSnippet = `import { DataAPIClient } from '@datastax/astra-db-ts';

const client = new DataAPIClient(process.env.ASTRA_DB_APPLICATION_TOKEN);
const db = client.db('${endpoint}', { keyspace: '${keyspace}' });
console.log(await db.listCollections());`;
  const curlSnippet = `curl -sS -X POST "${endpoint}/api/json/v1/${keyspace}" \\
  --header "Token: $ASTRA_DB_APPLICATION_TOKEN" \\
  --header "Content-Type: application/json" \\
  --data '{"findCollections": {}}'`;

  return (
    <Stack gap="xl">
      <Group justify="space-between">
        <Title order={3}>Connect</Title>
        <Menu>
          <Menu.Target>
            <Button variant="default">More</Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item onClick={() => generate.mutate()}>Generate Token</Menu.Item>
          </Menu.Dropdown>
        </Menu>
      </Group>
      {generate.isPending && <Text aria-live="polite">Generating a token for {database.info.name}…</Text>}
      <ErrorNotice error={generate.error} title="The token was not generated" />
      {generate.data && <TokenOnce token={generate.data} />}
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Region</Table.Th>
            <Table.Th>API endpoint</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {database.info.datacenters.map((dc) => (
            <Table.Tr key={dc.id}>
              <Table.Td>{dc.region}</Table.Td>
              <Table.Td>
                <Code>{dc.dataEndpointUrl.replace(/\/api\/rest$/, '')}</Code>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <section aria-labelledby="bundle-title">
        <Title order={4} id="bundle-title" mb="xs">
          Secure connect bundle
        </Title>
        <ErrorNotice error={bundle.error} title="The bundle could not be downloaded" />
        <Button
          variant="default"
          onClick={() => bundle.mutate()}
          loading={bundle.isPending}
          disabled={database.status !== 'ACTIVE'}
        >
          Download SCB
        </Button>
        {database.status !== 'ACTIVE' && (
          <Text size="sm" c="dimmed">
            The bundle can be downloaded once the database is ACTIVE.
          </Text>
        )}
      </section>
      <section aria-labelledby="ts-title">
        <Title order={4} id="ts-title" mb="xs">
          astra-db-ts
        </Title>
        <Code block>{tsSnippet}</Code>
      </section>
      <section aria-labelledby="curl-title">
        <Title order={4} id="curl-title" mb="xs">
          curl
        </Title>
        <Code block>{curlSnippet}</Code>
      </section>
    </Stack>
  );
}
