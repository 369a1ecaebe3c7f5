import { Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { api, ok, setCsrfToken } from '../api/client';
import { ErrorNotice, Loading } from '../components/Feedback';
import { SESSION_KEY } from '../session';

/** Where an invitation link leads: the invited person chooses a password and is signed in. */
export function InvitationPage() {
  const code = useParams().code!;
  const navigate = useNavigate();
  const client = useQueryClient();
  const [password, setPassword] = useState('');
  const invitation = useQuery({
    queryKey: ['invitation', code],
    queryFn: () => ok(api.GET('/auth/invitations/{code}', { params: { path: { code } } })),
  });
  const accept = useMutation({
    mutationFn: () =>
      ok(api.POST('/auth/invitations/{code}/accept', { params: { path: { code } }, body: { password } })),
    onSuccess: async ({ csrfToken }) => {
      setCsrfToken(csrfToken);
      await client.invalidateQueries({ queryKey: SESSION_KEY });
      await navigate('/databases');
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    accept.mutate();
  };

  return (
    <Center mih="100vh" component="main">
      <Paper withBorder p="xl" w={420} radius="md">
        <Stack>
          <Title order={1} size="h2">
            Accept your invitation
          </Title>
          {invitation.isPending && <Loading label="Checking the invitation…" />}
          <ErrorNotice error={invitation.error} title="This link cannot be used" />
          {invitation.data && (
            <form onSubmit={submit}>
              <Stack>
                <Text>
                  Choose a password for <strong>{invitation.data.email}</strong>.
                </Text>
                <ErrorNotice error={accept.error} />
                <PasswordInput
                  label="New password"
                  description="At least 12 characters"
                  autoComplete="new-password"
                  required
                  value={password}
                  onChange={(e) => setPassword(e.currentTarget.value)}
                />
                <Button type="submit" loading={accept.isPending}>
                  Accept invitation
                </Button>
              </Stack>
            </form>
          )}
        </Stack>
      </Paper>
    </Center>
  );
}
