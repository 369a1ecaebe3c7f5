import { Grid, NavLink, Stack, Title } from '@mantine/core';
import { NavLink as RouterLink, useParams } from 'react-router';
import { ErrorNotice } from '../../components/Feedback';
import { useSignedIn } from '../../session';
import { AccessListSettings } from './AccessListSettings';
import { AuditLogSettings } from './AuditLogSettings';
import { RolesSettings } from './RolesSettings';
import { TokensSettings } from './TokensSettings';
import { UsersSettings } from './UsersSettings';

const SECTIONS = [
  { path: 'tokens', label: 'Tokens', page: TokensSettings },
  { path: 'roles', label: 'Roles', page: RolesSettings },
  { path: 'users', label: 'Users', page: UsersSettings },
  { path: 'access-list', label: 'Access list', page: AccessListSettings },
  { path: 'audit-log', label: 'Audit log', page: AuditLogSettings },
];

/** Settings, with its navigation menu on the side. */
export default function SettingsPage() {
  const { section = 'tokens' } = useParams();
  const session = useSignedIn();
  const current = SECTIONS.find((s) => s.path === section);
  const Page = current?.page;
  return (
    <Grid>
      <Grid.Col span={{ base: 12, sm: 3 }}>
        <nav aria-label="Settings">
          <Title order={2} size="h4" mb="sm">
            Settings
          </Title>
          <Stack gap={0}>
            {SECTIONS.map((s) => (
              <NavLink
                key={s.path}
                component={RouterLink}
                to={`/settings/${s.path}`}
                label={s.label}
                active={s.path === section}
              />
            ))}
          </Stack>
        </nav>
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 9 }}>
        {Page ? (
          <Page orgId={session.orgId} />
        ) : (
          <ErrorNotice error={new Error(`Settings has no section "${section}".`)} title="Not found" />
        )}
      </Grid.Col>
    </Grid>
  );
}
