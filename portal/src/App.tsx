import { AppShell, Button, Group, NavLink, Text, Title } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { Link, Navigate, NavLink as RouterLink, Route, Routes, useLocation } from 'react-router';
import { ErrorNotice, Loading } from './components/Feedback';
import { DatabasesPage } from './pages/DatabasesPage';
import { InvitationPage } from './pages/InvitationPage';
import { SignInPage } from './pages/SignInPage';
import { useSession, useSignOut } from './session';

// Pages past the dashboard load when first opened, keeping the first download small.
const DatabasePage = lazy(() => import('./pages/database/DatabasePage'));
const SettingsPage = lazy(() => import('./pages/settings/SettingsPage'));

export function App() {
  const session = useSession();
  const location = useLocation();
  if (location.pathname.startsWith('/invitations/')) {
    return (
      <Routes>
        <Route path="/invitations/:code" element={<InvitationPage />} />
      </Routes>
    );
  }
  if (session.isPending) return <Loading label="Loading the Portal…" />;
  if (session.error) return <ErrorNotice error={session.error} />;
  if (!session.data) return <SignInPage />;
  return <SignedIn />;
}

function SignedIn() {
  const session = useSession().data!;
  const signOut = useSignOut();
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Title order={1} size="h3">
              <Link to="/databases" style={{ color: 'inherit', textDecoration: 'none' }}>
                Orrery
              </Link>
            </Title>
            <nav aria-label="Main">
              <Group gap="xs">
                <NavLink component={RouterLink} to="/databases" label="Databases" w="auto" />
                <NavLink component={RouterLink} to="/settings/tokens" label="Settings" w="auto" />
              </Group>
            </nav>
          </Group>
          <Group>
            <Text size="sm" c="dimmed">
              {session.email ?? `token ${session.id}`}
            </Text>
            <Button variant="default" size="xs" onClick={() => void signOut()}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        <main>
          <Suspense fallback={<Loading label="Loading…" />}>
            <Routes>
              <Route path="/" element={<Navigate to="/databases" replace />} />
              <Route path="/sign-in" element={<Navigate to="/databases" replace />} />
              <Route path="/databases" element={<DatabasesPage />} />
              <Route path="/databases/:databaseId/:tab?" element={<DatabasePage />} />
              <Route path="/settings/enterprise/:section?" element={<SettingsPage scope="enterprise" />} />
              <Route path="/settings/:section?" element={<SettingsPage />} />
              <Route
                path="*"
                element={<ErrorNotice error={new Error('There is no such page in the Portal.')} title="Not found" />}
              />
            </Routes>
          </Suspense>
        </main>
      </AppShell.Main>
    </AppShell>
  );
}
