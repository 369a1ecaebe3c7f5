import {
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  MultiSelect,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ok, okResponse } from '../../api/client';
import { ErrorNotice } from '../../components/Feedback';
import { FormModal } from '../../components/FormModal';
import { ListState } from '../../components/ListState';
import { roleOptions, useRoles } from '../../roles';

type User = NonNullable<Awaited<ReturnType<typeof listUsers>>>['Users'][number];
const listUsers = () => ok(api.GET('/v2/organizations/users'));

function InvitationLink({ link, emailed }: { link: string; emailed: boolean }) {
  return (
    <Stack gap="xs" role="status">
      <Text size="sm">
        {emailed
          ? 'The invitation was e-mailed. You can also send this one-time link yourself:'
          : 'Send this one-time link to the person you invited:'}
      </Text>
      <Group>
        <Code data-testid="invitation-link">{link}</Code>
        <CopyButton value={link}>
          {({ copied, copy }) => (
            <Button size="xs" variant="default" onClick={copy}>
              {copied ? 'Copied' : 'Copy link'}
            </Button>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}

export function UsersSettings() {
  const client = useQueryClient();
  const roles = useRoles();
  const users = useQuery({ queryKey: ['users'], queryFn: listUsers });
  const [email, setEmail] = useState('');
  const [inviteRoles, setInviteRoles] = useState<string[]>([]);
  const [editing, setEditing] = useState<User | null>(null);
  const [editRoles, setEditRoles] = useState<string[]>([]);
  const refresh = () => client.invalidateQueries({ queryKey: ['users'] });

  const link = useMutation({ mutationFn: (userId: string) => ok(api.POST('/auth/invitations', { body: { userId } })) });
  const invite = useMutation({
    mutationFn: async () => {
      const user = await ok(api.PUT('/v2/organizations/users', { body: { email, roles: inviteRoles } }));
      return ok(api.POST('/auth/invitations', { body: { userId: user.UserID } }));
    },
    onSuccess: async () => {
      setEmail('');
      setInviteRoles([]);
      await refresh();
    },
  });
  const changeRoles = useMutation({
    mutationFn: (user: User) =>
      okResponse(
        api.PUT('/v2/organizations/users/{userID}/roles', {
          params: { path: { userID: user.UserID } },
          body: { roles: editRoles },
        }),
      ),
    onSuccess: async () => {
      setEditing(null);
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (user: User) =>
      okResponse(api.DELETE('/v2/organizations/users/{userID}', { params: { path: { userID: user.UserID } } })),
    onSuccess: refresh,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate();
  };

  return (
    <Stack gap="xl">
      <section aria-labelledby="invite-title">
        <Title order={2} id="invite-title" mb="sm">
          Invite user
        </Title>
        <form onSubmit={submit}>
          <Stack maw={480}>
            <ErrorNotice error={invite.error} title="The invitation was not sent" />
            <TextInput
              label="E-mail"
              type="email"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
            />
            <MultiSelect
              label="Roles"
              data={roleOptions(roles.data)}
              value={inviteRoles}
              onChange={setInviteRoles}
              searchable
              required
            />
            <Button type="submit" disabled={!email || inviteRoles.length === 0} loading={invite.isPending}>
              Invite user
            </Button>
          </Stack>
        </form>
        {invite.data && <InvitationLink {...invite.data} />}
      </section>
      <section aria-labelledby="users-title">
        <Title order={2} id="users-title" mb="sm">
          Users
        </Title>
        <ErrorNotice error={users.error ?? remove.error ?? link.error} />
        {link.data && <InvitationLink {...link.data} />}
        <ListState
          items={users.data?.Users}
          loading="Loading users…"
          whenEmpty="Nobody has been invited yet. Invite a user above: they get a one-time link to choose a password."
        >
          {(listed) => (
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>E-mail</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Roles</Table.Th>
                  <Table.Th>Actions</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {listed.map((user) => (
                  <Table.Tr key={user.UserID}>
                    <Table.Td>{user.Email}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={user.Status === 'active' ? 'green' : 'yellow'} autoContrast>
                        {user.Status === 'invited' ? 'Pending invitation' : 'Active'}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{user.Roles.map((r) => r.Name).join(', ')}</Table.Td>
                    <Table.Td>
                      <Group gap="xs">
                        {user.Status === 'invited' && (
                          <Button size="xs" variant="default" onClick={() => link.mutate(user.UserID)}>
                            New invitation link
                          </Button>
                        )}
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() => {
                            setEditing(user);
                            setEditRoles(user.Roles.map((r) => r.ID));
                          }}
                        >
                          Change roles
                        </Button>
                        <Button
                          size="xs"
                          color="red"
                          variant="subtle"
                          loading={remove.isPending && remove.variables?.UserID === user.UserID}
                          onClick={() => remove.mutate(user)}
                        >
                          Remove {user.Email}
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </ListState>
      </section>
      <FormModal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={`Roles of ${editing?.Email ?? ''}`}
        submitLabel="Save roles"
        error={changeRoles.error}
        errorTitle="The roles were not changed"
        submitting={changeRoles.isPending}
        submitDisabled={editRoles.length === 0}
        onSubmit={() => editing && changeRoles.mutate(editing)}
      >
        <MultiSelect
          label="Roles"
          data={roleOptions(roles.data)}
          value={editRoles}
          onChange={setEditRoles}
          searchable
        />
      </FormModal>
    </Stack>
  );
}
