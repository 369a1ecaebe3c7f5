import { Button, Group, Stack, Table, TextInput, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ok } from '../../api/client';
import { ListState } from '../../components/ListState';

const PAGE = 50;
const csvField = (value: string) => `"${value.replaceAll('"', '""')}"`;

export function AuditLogSettings() {
  const [action, setAction] = useState('');
  const [actor, setActor] = useState('');
  const [filter, setFilter] = useState({ action: '', actor: '' });
  const events = useInfiniteQuery({
    queryKey: ['audit', filter],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      ok(
        api.GET('/v2/organizations/audit-events', {
          params: {
            query: {
              limit: PAGE,
              ...(pageParam ? { before: pageParam } : {}),
              ...(filter.action ? { action: filter.action } : {}),
              ...(filter.actor ? { actor: filter.actor } : {}),
            },
          },
        }),
      ),
    getNextPageParam: (last) => last.nextBefore ?? undefined,
  });
  const rows = events.data?.pages.flatMap((p) => p.events) ?? [];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFilter({ action: action.trim(), actor: actor.trim() });
  };
  const exportCsv = () => {
    const lines = [
      'time,actor,action,resource,address,result',
      ...rows.map((e) => [e.time, e.actor, e.action, e.resource, e.address, e.result].map(csvField).join(',')),
    ];
    const url = URL.createObjectURL(new Blob([lines.join('\n') + '\n'], { type: 'text/csv' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'audit-log.csv';
    link.click();
    URL.revokeObjectURL(url);
  };

  return (
    <Stack>
      <Title order={2}>Audit log</Title>
      <form onSubmit={submit}>
        <Group align="end">
          <TextInput
            label="Action"
            placeholder="e.g. GENERATE_TOKEN"
            value={action}
            onChange={(e) => setAction(e.currentTarget.value)}
          />
          <TextInput
            label="Actor"
            placeholder="client or user id"
            value={actor}
            onChange={(e) => setActor(e.currentTarget.value)}
          />
          <Button type="submit">Filter</Button>
          <Button variant="default" onClick={exportCsv} disabled={rows.length === 0}>
            Export CSV
          </Button>
        </Group>
      </form>
      <ListState
        items={events.data ? rows : undefined}
        error={events.error}
        loading="Loading events…"
        whenEmpty="No event matches. Clear the filters, or make a change and come back."
      >
        {(shown) => (
          <>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Time</Table.Th>
                  <Table.Th>Actor</Table.Th>
                  <Table.Th>Action</Table.Th>
                  <Table.Th>Resource</Table.Th>
                  <Table.Th>Address</Table.Th>
                  <Table.Th>Result</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {shown.map((e) => (
                  <Table.Tr key={e.id}>
                    <Table.Td>{new Date(e.time).toLocaleString()}</Table.Td>
                    <Table.Td>{e.actor}</Table.Td>
                    <Table.Td>{e.action}</Table.Td>
                    <Table.Td style={{ wordBreak: 'break-all' }}>{e.resource}</Table.Td>
                    <Table.Td>{e.address}</Table.Td>
                    <Table.Td>{e.result}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {events.hasNextPage && (
              <Button variant="default" onClick={() => void events.fetchNextPage()} loading={events.isFetchingNextPage}>
                Next page
              </Button>
            )}
          </>
        )}
      </ListState>
    </Stack>
  );
}
