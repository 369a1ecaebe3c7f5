import { Button, Group, Menu, Modal, MultiSelect, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ok, okResponse } from '../../api/client';
import { Empty, ErrorNotice, Loading } from '../../components/Feedback';
import { TokenOnce } from '../../components/SecretOnce';
import { roleOptions, useRoles } from '../../roles';

const EXPIRATIONS = [
  { value: 'never', label: 'Never expire' },
  { value: '1', label: '1 day' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
];

export function TokensSettings() {
  const client = useQueryClient();
  const roles = useRoles();
  const tokens = useQuery({ queryKey: ['tokens'], queryFn: () => ok(api.GET('/v2/tokens')) });
  const [selected, setSelected] = useState<string[]>([]);
  const [description, setDescription] = useState('');
  const [expiration, setExpiration] = useState<string | null>('never');
  const [deleting, setDeleting] = useState<string | null>(null);

  const generate = useMutation({
    mutationFn: () => {
      const days = expiration && expiration !== 'never' ? Number(expiration) : undefined;
      const tokenExpiry = days ? new Date(Date.now() + days * 86_400_000).toISOString() : undefined;
      return ok(
        api.POST('/v2/tokens', {
          body: { roles: selected, ...(description ? { description } : {}), ...(tokenExpiry ? { tokenExpiry } : {}) },
        }),
      );
    },
    onSuccess: async () => {
      setSelected([]);
      setDescription('');
      await client.invalidateQueries({ queryKey: ['tokens'] });
    },
  });
  const remove = useMutation({
    mutationFn: (clientId: string) =>
      okResponse(api.DELETE('/v2/tokens/{clientId}', { params: { path: { clientId } } })),
    onSuccess: async () => {
      setDeleting(null);
      await client.invalidateQueries({ queryKey: ['tokens'] });
    },
  });
  const roleName = (id: string) => roles.data?.find((r) => r.ID === id)?.Name ?? id;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    generate.mutate();
  };

  return (
    <Stack gap="xl">
      <section aria-labelledby="generate-title">
        <Title order={2} id="generate-title" mb="sm">
          Generate New Token
        </Title>
        <form onSubmit={submit}>
          <Stack maw={480}>
            <ErrorNotice error={generate.error} title="The token was not generated" />
            <ErrorNotice error={roles.error} title="Roles could not be loaded" />
            <MultiSelect
              label="Role"
              placeholder="Select a role"
              data={roleOptions(roles.data)}
              value={selected}
              onChange={setSelected}
              searchable
              required
            />
            <TextInput
              label="Description"
              value={description}
              onChange={(e) => setDescription(e.currentTarget.value)}
            />
            <Select
              label="Expiration"
              data={EXPIRATIONS}
              value={expiration}
              onChange={setExpiration}
              allowDeselect={false}
            />
            <Button type="submit" disabled={selected.length === 0} loading={generate.isPending}>
              Generate Token
            </Button>
          </Stack>
        </form>
        {generate.data && (
          <Stack mt="md">
            <TokenOnce token={generate.data} />
          </Stack>
        )}
      </section>
      <section aria-labelledby="manage-title">
        <Title order={2} id="manage-title" mb="sm">
          Manage existing tokens
        </Title>
        <ErrorNotice error={tokens.error ?? remove.error} />
        {tokens.isPending ? (
          <Loading label="Loading tokens…" />
        ) : (tokens.data?.clients ?? []).length === 0 ? (
          <Empty>There are no tokens. Generate one above.</Empty>
        ) : (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Client ID</Table.Th>
                <Table.Th>Description</Table.Th>
                <Table.Th>Roles</Table.Th>
                <Table.Th>Generated on</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tokens.data!.clients.map((t) => (
                <Table.Tr key={t.clientId} data-client-id={t.clientId}>
                  <Table.Td>{t.clientId}</Table.Td>
                  <Table.Td>{t.description}</Table.Td>
                  <Table.Td>{t.roles.map(roleName).join(', ')}</Table.Td>
                  <Table.Td>{new Date(t.generatedOn).toLocaleString()}</Table.Td>
                  <Table.Td>{t.tokenExpiry ? new Date(t.tokenExpiry).toLocaleString() : 'Never'}</Table.Td>
                  <Table.Td>
                    <Menu>
                      <Menu.Target>
                        <Button size="xs" variant="default" aria-label={`More actions for token ${t.clientId}`}>
                          More
                        </Button>
                      </Menu.Target>
                      <Menu.Dropdown>
                        <Menu.Item color="red" onClick={() => setDeleting(t.clientId)}>
                          Delete
                        </Menu.Item>
                      </Menu.Dropdown>
                    </Menu>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </section>
      <Modal opened={deleting !== null} onClose={() => setDeleting(null)} title="Delete token">
        <Stack>
          <Text>
            Token <strong>{deleting}</strong> will stop working at once. Applications that use it will be refused.
          </Text>
          <ErrorNotice error={remove.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(null)}>
              Cancel
            </Button>
            <Button color="red" loading={remove.isPending} onClick={() => deleting && remove.mutate(deleting)}>
              Delete Token
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
