import { Anchor, Group, Stack, Tabs, Title } from '@mantine/core';
import { Link, useNavigate, useParams } from 'react-router';
import { ErrorNotice, Loading } from '../../components/Feedback';
import { StatusBadge } from '../../components/StatusBadge';
import { useDatabase } from '../../databases';
import { ConnectTab } from './ConnectTab';
import { DataExplorerTab } from './explorer/DataExplorerTab';
import { OverviewTab } from './OverviewTab';
import { SettingsTab } from './SettingsTab';

const TABS = ['overview', 'connect', 'data-explorer', 'settings'];

/** One database, in tabs; the tab is part of the address so it can be linked to. */
export default function DatabasePage() {
  const { databaseId = '', tab = 'overview' } = useParams();
  const navigate = useNavigate();
  const database = useDatabase(databaseId);
  if (database.isPending) return <Loading label="Loading the database…" />;
  if (!database.data) return <ErrorNotice error={database.error} title="The database could not be loaded" />;
  const db = database.data;

  return (
    <Stack>
      <Anchor component={Link} to="/databases" size="sm">
        ← Databases
      </Anchor>
      <Group>
        <Title order={2}>{db.info.name}</Title>
        <StatusBadge status={db.status} />
      </Group>
      <ErrorNotice error={database.error} title="The latest status could not be loaded" />
      <Tabs
        value={TABS.includes(tab) ? tab : 'overview'}
        onChange={(value) => void navigate(`/databases/${databaseId}/${value ?? 'overview'}`)}
        keepMounted={false}
      >
        <Tabs.List>
          <Tabs.Tab value="overview">Overview</Tabs.Tab>
          <Tabs.Tab value="connect">Connect</Tabs.Tab>
          <Tabs.Tab value="data-explorer">Data Explorer</Tabs.Tab>
          <Tabs.Tab value="settings">Settings</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="overview" pt="md">
          <OverviewTab database={db} />
        </Tabs.Panel>
        <Tabs.Panel value="connect" pt="md">
          <ConnectTab database={db} />
        </Tabs.Panel>
        <Tabs.Panel value="data-explorer" pt="md">
          <DataExplorerTab database={db} />
        </Tabs.Panel>
        <Tabs.Panel value="settings" pt="md">
          <SettingsTab database={db} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
