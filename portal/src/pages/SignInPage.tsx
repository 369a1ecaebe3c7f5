import { Button, Center, Divider, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ok, setCsrfToken } from '../api/client';
import { ErrorNotice } from '../components/Feedback';
import { SESSION_KEY } from '../session';

type Credentials = { email: string; password: string } | { token: string };

export function SignInPage() {
  const client = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const signIn = useMutation({
    mutationFn: (body: Credentials) => ok(api.POST('/auth/sign-in', { body })),
    onSuccess: async ({ csrfToken }) => {
      setCsrfToken(csrfToken);
      await client.invalidateQueries({ queryKey: SESSION_KEY });
    },
  });
  const submit = (body: Credentials) => (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate(body);
  };

  return (
    <Center mih="100vh" component="main">
      <Paper withBorder p="xl" w={420} radius="md">
        <Stack>
          <Title order={1} size="h2">
            Sign in to Orrery
          </Title>
          <ErrorNotice error={signIn.error} title="Sign-in failed" />
          <form onSubmit={submit({ email, password })} aria-label="Sign in with e-mail">
            <Stack>
              <TextInput
                label="E-mail"
                type="email"
                autoComplete="username"
                required
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
              />
              <PasswordInput
                label="Password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
              />
              <Button type="submit" loading={signIn.isPending}>
                Sign in
              </Button>
            </Stack>
          </form>
          <Divider label="or" labelPosition="center" />
          <form onSubmit={submit({ token })} aria-label="Sign in with a token">
            <Stack>
              <PasswordInput
                label="Application token"
                description="AstraCS:…"
                required
                value={token}
                onChange={(e) => setToken(e.currentTarget.value)}
              />
              <Button type="submit" variant="default" loading={signIn.isPending}>
                Sign in with token
              </Button>
            </Stack>
          </form>
        </Stack>
      </Paper>
    </Center>
  );
}
