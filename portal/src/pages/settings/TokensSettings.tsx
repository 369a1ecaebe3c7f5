import { Button, Menu, MultiSelect, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ok, okResponse } from '../../api/client';
import { ErrorNotice } from '../../components/Feedback';
import { FormModal } from '../../components/FormModal';
import { ListState } from '../../components/ListState';
import { TokenOnce } from '../../components/SecretOnce';
import { useEnterprise } from '../../enterprise';
import { roleOptions, useRoles } from '../../roles';

export type SettingsScope = 'organization' | 'enterprise';

const EXPIRATIONS = [
  { value: 'never', label: 'Never expire' },
  { value: '1', label: '1 day' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
];

/** What a scope's tokens are listed and revoked through: an organization's own, or its enterprise's. */
const SCOPES = {
  organization: {
    list: () => ok(api.GET('/v2/tokens')),
    revoke: (clientId: string) => okResponse(api.DELETE('/v2/tokens/{clientId}', { params: { path: { clientId } } })),
    empty: 'There are no tokens. Generate one above.',
  },
  enterprise: {
    list: () => ok(api.GET('/v2/organizations/enterprise-tokens')),
    revoke: (clientId: string) =>
      okResponse(api.DELETE('/v2/organizations/enterprise-tokens/{clientId}', { params: { path: { clientId } } })),
    empty: 'The enterprise has no tokens. Generate one above with an enterprise role.',
  },
};

/** Settings → Tokens, for the organization or, with the enterprise filter, for its enterprise. */
export function TokensSettings({ scope = 'organization' }: { scope?: SettingsScope }) {
  const client = useQueryClient();
  const organizationRoles = useRoles();
  const enterprise = useEnterprise();
  const roles = scope === 'enterprise' ? { data: enterprise.data?.Roles, error: enterprise.error } : organizationRoles;
  const tokensKey = ['tokens', scope];
  const tokens = useQuery({ queryKey: tokensKey, queryFn: SCOPES[scope].list });
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
      await client.invalidateQueries({ queryKey: tokensKey });
    },
  });
  const remove = useMutation({
    mutationFn: SCOPES[scope].revoke,
    onSuccess: async () => {
      setDeleting(null);
      await client.invalidateQueries({ queryKey: tokensKey });
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
          {scope === 'enterprise' ? 'Generate New Enterprise Token' : 'Generate New Token'}
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
        <ListState
          items={tokens.data?.clients}
          error={tokens.error}
          loading="Loading tokens…"
          whenEmpty={SCOPES[scope].empty}
        >
          {(clients) => (
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
                {clients.map((t) => (
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
                          <Menu.Item
                            color="red"
                            onClick={() => {
                              remove.reset();
                              setDeleting(t.clientId);
                            }}
                          >
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
        </ListState>
      </section>
      <FormModal
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        title="Delete token"
        submitLabel="Delete Token"
        danger
        error={remove.error}
        errorTitle="The token was not deleted"
        submitting={remove.isPending}
        onSubmit={() => deleting && remove.mutate(deleting)}
      >
        <Text>
          Token <strong>{deleting}</strong> will stop working at once. Applications that use it will be refused.
        </Text>
      </FormModal>
    </Stack>
  );
}
