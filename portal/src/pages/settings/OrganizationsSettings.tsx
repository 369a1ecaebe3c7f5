import { Anchor, Badge, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { ListState } from '../../components/ListState';
import { useEnterprise } from '../../enterprise';
import { useSignedIn } from '../../session';

/** Settings → Organizations, for an enterprise: its organizations; the signed-in one opens its own settings. */
export function OrganizationsSettings() {
  const enterprise = useEnterprise();
  const session = useSignedIn();
  return (
    <Stack>
      <Title order={2}>Organizations</Title>
      <Text size="sm">
        The organizations of {enterprise.data?.EnterpriseName ?? 'the enterprise'}. Click your organization&apos;s name
        to manage its tokens, roles, users and access list; to manage another one, sign in to it.
      </Text>
      <ListState
        items={enterprise.data?.Organizations}
        error={enterprise.error}
        loading="Loading organizations…"
        whenEmpty="The enterprise has no organizations. Add one with POST /v2/enterprises/organizations and an enterprise token."
      >
        {(organizations) => (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Organization ID</Table.Th>
                <Table.Th>Created</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {organizations.map((o) => (
                <Table.Tr key={o.OrganizationID} data-org-id={o.OrganizationID}>
                  <Table.Td>
                    {o.OrganizationID === session.orgId ? (
                      <Anchor component={Link} to="/settings/tokens">
                        {o.OrganizationName}
                      </Anchor>
                    ) : (
                      <Text span title="Sign in to this organization to manage it">
                        {o.OrganizationName}
                      </Text>
                    )}{' '}
                    {o.OrganizationID === enterprise.data?.PrimaryOrganizationID && (
                      <Badge variant="light" autoContrast>
                        Primary
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{o.OrganizationID}</Table.Td>
                  <Table.Td>{new Date(o.CreatedAt).toLocaleString()}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </ListState>
    </Stack>
  );
}
