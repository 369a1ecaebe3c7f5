import { Anchor, Button, Group, Pagination, Stack, Table, TextInput, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { ListState } from '../components/ListState';
import { StatusBadge } from '../components/StatusBadge';
import { databasesQuery, PAGE_SIZE } from '../databases';
import { CreateDatabase } from './CreateDatabase';

/** The dashboard: every database with a live status badge. */
export function DatabasesPage() {
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const databases = useInfiniteQuery(databasesQuery);

  const all = useMemo(() => databases.data?.pages.flatMap((p) => p.databases) ?? [], [databases.data]);
  const needle = search.trim().toLowerCase();
  const matching = needle
    ? all.filter((d) => d.info.name.toLowerCase().includes(needle) || d.id.includes(needle))
    : all;
  const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
  const shown = matching.slice((Math.min(page, pages) - 1) * PAGE_SIZE, Math.min(page, pages) * PAGE_SIZE);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Databases</Title>
        <Button onClick={() => setCreating(true)}>Create database</Button>
      </Group>
      <CreateDatabase opened={creating} onClose={() => setCreating(false)} />
      <TextInput
        label="Search databases"
        placeholder="Name or id"
        value={search}
        onChange={(e) => {
          setSearch(e.currentTarget.value);
          setPage(1);
        }}
        maw={360}
      />
      <ListState
        items={databases.data ? matching : undefined}
        error={databases.error}
        errorTitle="The databases could not be loaded"
        loading="Loading databases…"
        whenEmpty={
          all.length === 0
            ? 'There are no databases yet. Click Create database to make the first one.'
            : `No database matches “${search}”. Clear the search to see them all.`
        }
      >
        {() => (
          <>
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Provider</Table.Th>
                  <Table.Th>Region</Table.Th>
                  <Table.Th>Type</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {shown.map((d) => (
                  <Table.Tr key={d.id} data-database={d.info.name}>
                    <Table.Td>
                      <Anchor component={Link} to={`/databases/${d.id}`}>
                        {d.info.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <StatusBadge status={d.status} />
                    </Table.Td>
                    <Table.Td>{d.info.cloudProvider}</Table.Td>
                    <Table.Td>{d.info.region}</Table.Td>
                    <Table.Td>{d.info.dbType === 'vector' ? 'Vector' : 'Serverless'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Group justify="space-between">
              <Pagination
                total={pages}
                value={Math.min(page, pages)}
                onChange={setPage}
                aria-label="Database pages"
                getControlProps={(control) => ({
                  'aria-label': `${control[0]!.toUpperCase()}${control.slice(1)} page`,
                })}
              />
              {databases.hasNextPage && (
                <Button
                  variant="default"
                  loading={databases.isFetchingNextPage}
                  onClick={() => void databases.fetchNextPage()}
                >
                  Load more databases
                </Button>
              )}
            </Group>
          </>
        )}
      </ListState>
    </Stack>
  );
}
