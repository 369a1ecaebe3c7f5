import { Badge, Button, Checkbox, Group, Select, SimpleGrid, Stack, Table, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import type { DatabaseView } from '../../api/views';
import { FormModal } from '../../components/FormModal';
import { ListState } from '../../components/ListState';
import { useRoles } from '../../roles';

type Role = NonNullable<ReturnType<typeof useRoles>['data']>[number];

const AREAS: [string, (action: string) => boolean][] = [
  ['Organization', (a) => a.startsWith('org-') && !a.startsWith('org-db-')],
  ['Databases', (a) => a.startsWith('org-db-') || a.startsWith('db-manage') || a === 'db-cql'],
  ['Keyspaces and tables', (a) => a.startsWith('db-') && !a.startsWith('db-manage') && a !== 'db-cql'],
  ['Access lists', (a) => a.startsWith('accesslist-')],
];
const SCOPES = [
  { value: 'org', label: 'The organization' },
  { value: 'all-databases', label: 'All databases' },
  { value: 'database', label: 'One database' },
  { value: 'keyspace', label: 'A keyspace' },
  { value: 'table', label: 'A table' },
];

/** Custom roles belong to an organization; built-in ones belong to none and cannot be edited. */
const isBuiltIn = (role: Role) => role.OrgID === undefined;

function scopeResources(orgId: string, scope: string, databaseId: string, keyspace: string, table: string): string[] {
  const org = `drn:astra:org:${orgId}`;
  switch (scope) {
    case 'org':
      return [org];
    case 'all-databases':
      return [`${org}:db:*`, `${org}:db:*:keyspace:*`, `${org}:db:*:keyspace:*:table:*`];
    case 'database':
      return [
        `${org}:db:${databaseId}`,
        `${org}:db:${databaseId}:keyspace:*`,
        `${org}:db:${databaseId}:keyspace:*:table:*`,
      ];
    case 'keyspace':
      return [
        `${org}:db:${databaseId}`,
        `${org}:db:${databaseId}:keyspace:${keyspace}`,
        `${org}:db:${databaseId}:keyspace:${keyspace}:table:*`,
      ];
    default:
      return [
        `${org}:db:${databaseId}`,
        `${org}:db:${databaseId}:keyspace:${keyspace}`,
        `${org}:db:${databaseId}:keyspace:${keyspace}:table:${table}`,
      ];
  }
}

function RoleEditor({
  orgId,
  role,
  actions,
  onDone,
}: {
  orgId: string;
  role: Role | null;
  actions: string[];
  onDone: () => void;
}) {
  const client = useQueryClient();
  const databases = useQuery({
    queryKey: ['databases', 'for-roles'],
    queryFn: async () =>
      (await ok(api.GET('/v2/databases', { params: { query: { limit: '100' } } }))) as unknown as DatabaseView[],
  });
  const [name, setName] = useState(role?.Name ?? '');
  const [chosen, setChosen] = useState<string[]>(role?.Policy.actions ?? []);
  const [scope, setScope] = useState<string | null>('org');
  const [databaseId, setDatabaseId] = useState<string | null>(null);
  const [keyspace, setKeyspace] = useState('');
  const [table, setTable] = useState('');
  const save = useMutation({
    mutationFn: () => {
      const policy = {
        description: name,
        effect: 'allow',
        actions: chosen,
        resources: scopeResources(orgId, scope!, databaseId ?? '', keyspace, table),
      };
      return role
        ? ok(
            api.PUT('/v2/organizations/roles/{roleID}', {
              params: { path: { roleID: role.ID } },
              body: { name, policy },
            }),
          )
        : ok(api.POST('/v2/organizations/roles', { body: { name, policy } }));
    },
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['roles'] });
      onDone();
    },
  });
  const needsDatabase = scope === 'database' || scope === 'keyspace' || scope === 'table';
  const database = databases.data?.find((d) => d.id === databaseId);
  return (
    <FormModal
      opened
      onClose={onDone}
      title={role ? 'Edit role' : 'Add custom role'}
      submitLabel={role ? 'Save role' : 'Create role'}
      error={save.error}
      errorTitle="The role was not saved"
      submitting={save.isPending}
      submitDisabled={!name || chosen.length === 0 || (needsDatabase && !databaseId)}
      onSubmit={() => save.mutate()}
    >
      <TextInput label="Role name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
      {AREAS.map(([area, inArea]) => {
        const inThisArea = actions.filter(inArea);
        return (
          inThisArea.length > 0 && (
            <Checkbox.Group key={area} label={area} value={chosen} onChange={setChosen}>
              <SimpleGrid cols={2} mt="xs">
                {inThisArea.map((a) => (
                  <Checkbox key={a} value={a} label={a} />
                ))}
              </SimpleGrid>
            </Checkbox.Group>
          )
        );
      })}
      <Select label="Resources" data={SCOPES} value={scope} onChange={setScope} allowDeselect={false} />
      {needsDatabase && (
        <Select
          label="Database"
          required
          data={(databases.data ?? []).map((d) => ({ value: d.id, label: d.info.name }))}
          value={databaseId}
          onChange={setDatabaseId}
        />
      )}
      {(scope === 'keyspace' || scope === 'table') && (
        <Select
          label="Keyspace"
          required
          data={database?.info.keyspaces ?? []}
          value={keyspace || null}
          onChange={(v) => setKeyspace(v ?? '')}
        />
      )}
      {scope === 'table' && (
        <TextInput label="Table" required value={table} onChange={(e) => setTable(e.currentTarget.value)} />
      )}
    </FormModal>
  );
}

export function RolesSettings({ orgId }: { orgId: string }) {
  const roles = useRoles();
  const [editing, setEditing] = useState<Role | 'new' | null>(null);
  const actions = [...new Set((roles.data ?? []).flatMap((r) => r.Policy.actions))].sort();
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Roles</Title>
        <Button onClick={() => setEditing('new')}>Add custom role</Button>
      </Group>
      <ListState
        items={roles.data}
        error={roles.error}
        loading="Loading roles…"
        whenEmpty="No roles are visible to you. Ask an Organization Administrator for the Read Roles permission."
      >
        {(visible) => (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Role</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Permissions</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {visible.map((role) => (
                <Table.Tr key={role.ID}>
                  <Table.Td>{role.Name}</Table.Td>
                  <Table.Td>
                    {isBuiltIn(role) ? (
                      <Badge variant="light" color="gray" autoContrast>
                        Built-in
                      </Badge>
                    ) : (
                      <Badge variant="light" autoContrast>
                        Custom
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{role.Policy.actions.length}</Table.Td>
                  <Table.Td>
                    {!isBuiltIn(role) && (
                      <Button size="xs" variant="default" onClick={() => setEditing(role)}>
                        Edit {role.Name}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </ListState>
      {editing !== null && (
        <RoleEditor
          orgId={orgId}
          role={editing === 'new' ? null : editing}
          actions={actions}
          onDone={() => setEditing(null)}
        />
      )}
    </Stack>
  );
}
