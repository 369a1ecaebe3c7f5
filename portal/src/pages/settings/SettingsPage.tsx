import { Grid, NavLink, Select, Stack, Title } from '@mantine/core';
import { NavLink as RouterLink, useNavigate, useParams } from 'react-router';
import { ErrorNotice } from '../../components/Feedback';
import { useEnterprise } from '../../enterprise';
import { useSignedIn } from '../../session';
import { AccessListSettings } from './AccessListSettings';
import { AuditLogSettings } from './AuditLogSettings';
import { OrganizationsSettings } from './OrganizationsSettings';
import { RolesSettings } from './RolesSettings';
import { TokensSettings, type SettingsScope } from './TokensSettings';
import { UsersSettings } from './UsersSettings';

const SECTIONS: Record<
  SettingsScope,
  { path: string; label: string; page: (props: { orgId: string }) => React.JSX.Element }[]
> = {
  organization: [
    { path: 'tokens', label: 'Tokens', page: () => <TokensSettings /> },
    { path: 'roles', label: 'Roles', page: RolesSettings },
    { path: 'users', label: 'Users', page: () => <UsersSettings /> },
    { path: 'access-list', label: 'Access list', page: AccessListSettings },
    { path: 'audit-log', label: 'Audit log', page: () => <AuditLogSettings /> },
  ],
  enterprise: [
    { path: 'organizations', label: 'Organizations', page: () => <OrganizationsSettings /> },
    { path: 'tokens', label: 'Tokens', page: () => <TokensSettings scope="enterprise" /> },
  ],
};
const BASE: Record<SettingsScope, string> = { organization: '/settings', enterprise: '/settings/enterprise' };

/**
 * Settings, with its navigation menu on the side. When the organization belongs to an enterprise, the
 * enterprise/organization filter above the menu switches to the enterprise's own sections.
 */
export default function SettingsPage({ scope = 'organization' }: { scope?: SettingsScope }) {
  const sections = SECTIONS[scope];
  const { section = sections[0]!.path } = useParams();
  const session = useSignedIn();
  const enterprise = useEnterprise();
  const navigate = useNavigate();
  const current = sections.find((s) => s.path === section);
  const Page = current?.page;
  const organizationName =
    enterprise.data?.Organizations.find((o) => o.OrganizationID === session.orgId)?.OrganizationName ??
    'This organization';
  return (
    <Grid>
      <Grid.Col span={{ base: 12, sm: 3 }}>
        <nav aria-label="Settings">
          <Title order={2} size="h4" mb="sm">
            Settings
          </Title>
          {enterprise.data && (
            <Select
              label="Enterprise or organization"
              mb="sm"
              data={[
                { value: 'enterprise', label: `${enterprise.data.EnterpriseName} (enterprise)` },
                { value: 'organization', label: organizationName },
              ]}
              value={scope}
              onChange={(value) => value && void navigate(`${BASE[value]}/${SECTIONS[value][0]!.path}`)}
              allowDeselect={false}
            />
          )}
          <Stack gap={0}>
            {sections.map((s) => (
              <NavLink
                key={s.path}
                component={RouterLink}
                to={`${BASE[scope]}/${s.path}`}
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
