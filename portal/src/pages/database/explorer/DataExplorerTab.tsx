import { Alert, Button, Grid, Group, NavLink, Select, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { DatabaseView } from '../../../api/views';
import { Empty } from '../../../components/Feedback';
import { FormModal } from '../../../components/FormModal';
import { ListState } from '../../../components/ListState';
import { CreateCollection } from './CreateCollection';
import { useDataApi } from './data-api';
import { DocumentsView } from './DocumentsView';
import { OBJECT_KINDS, type DataObject } from './object-kinds';

/** Keyspaces → collections → documents, through the Data API with the signed-in user's own roles. */
export function DataExplorerTab({ database }: { database: DatabaseView }) {
  if (database.status !== 'ACTIVE')
    return (
      <Alert color="yellow" title="The database is not serving data">
        The Data Explorer reads an active database; this one is {database.status}. Come back once it is ACTIVE.
      </Alert>
    );
  return <Explorer database={database} />;
}

function Explorer({ database }: { database: DatabaseView }) {
  const run = useDataApi(database);
  const client = useQueryClient();
  const [keyspace, setKeyspace] = useState(database.info.keyspace);
  const [open, setOpen] = useState<DataObject | null>(null);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<DataObject | null>(null);
  const objectsKey = ['explorer', database.id, keyspace, 'objects'];

  const keyspaces = useQuery({
    queryKey: ['explorer', database.id, 'keyspaces'],
    queryFn: async () => ((await run({}, { findKeyspaces: {} })).status?.keyspaces ?? []) as string[],
  });
  const objects = useQuery({
    queryKey: objectsKey,
    queryFn: async () => (await Promise.all(OBJECT_KINDS.map((k) => k.list(run, keyspace)))).flat(),
  });
  const remove = useMutation({
    mutationFn: (object: DataObject) => run({ keyspace }, { deleteCollection: { name: object.name } }),
    onSuccess: async (_answer, object) => {
      setDeleting(null);
      if (open?.name === object.name) setOpen(null);
      await client.invalidateQueries({ queryKey: objectsKey });
    },
  });

  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 3 }}>
        <Stack>
          <Select
            label="Keyspace"
            data={keyspaces.data ?? [keyspace]}
            value={keyspace}
            onChange={(value) => {
              if (value) setKeyspace(value);
              setOpen(null);
            }}
            allowDeselect={false}
            error={keyspaces.error?.message}
          />
          {OBJECT_KINDS.map((kind) => (
            <section key={kind.kind} aria-labelledby={`${kind.kind}-heading`}>
              <Group justify="space-between" mb="xs">
                <Title order={3} size="h5" id={`${kind.kind}-heading`}>
                  {kind.heading}
                </Title>
                <Button size="xs" variant="default" onClick={() => setCreating(true)}>
                  Create collection
                </Button>
              </Group>
              <ListState
                items={objects.data?.filter((o) => o.kind === kind.kind)}
                error={objects.error}
                errorTitle="The collections could not be listed"
                loading="Loading collections…"
                whenEmpty="This keyspace has no collection yet. Click Create collection to make one."
              >
                {(items) => (
                  <Stack gap={0}>
                    {items.map((o) => (
                      <Group key={o.name} gap={0} wrap="nowrap">
                        <NavLink
                          label={o.name}
                          description={o.detail}
                          active={open?.name === o.name}
                          onClick={() => setOpen(o)}
                          component="button"
                          style={{ flex: 1, minWidth: 0 }}
                        />
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          aria-label={`Delete collection ${o.name}`}
                          style={{ flexShrink: 0 }}
                          onClick={() => setDeleting(o)}
                        >
                          Delete
                        </Button>
                      </Group>
                    ))}
                  </Stack>
                )}
              </ListState>
            </section>
          ))}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 9 }}>
        {open ? (
          <DocumentsView
            key={`${keyspace}.${open.name}`}
            run={run}
            keyspace={keyspace}
            object={open}
            databaseId={database.id}
          />
        ) : (
          <Empty>Choose a collection on the left to see its documents, or create one.</Empty>
        )}
      </Grid.Col>
      <CreateCollection
        opened={creating}
        onClose={() => setCreating(false)}
        run={run}
        keyspace={keyspace}
        onCreated={async (name) => {
          setCreating(false);
          await client.invalidateQueries({ queryKey: objectsKey });
          setOpen({ kind: 'collection', name, detail: '' });
        }}
      />
      <FormModal
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete collection ${deleting?.name ?? ''}`}
        submitLabel="Delete collection"
        danger
        error={remove.error}
        submitting={remove.isPending}
        onSubmit={() => deleting && remove.mutate(deleting)}
      >
        <Text>
          The collection <strong>{deleting?.name}</strong> and every document in it will be deleted for good.
        </Text>
      </FormModal>
    </Grid>
  );
}
