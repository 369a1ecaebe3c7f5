import { Button, Code, Group, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ErrorNotice } from '../../../components/Feedback';
import { FormModal } from '../../../components/FormModal';
import { ListState } from '../../../components/ListState';
import { parseJsonField, type Document, type Json, type RunCommand } from './data-api';
import type { DataObject } from './object-kinds';

/** Documents per page. */
export const DOCUMENTS_PAGE = 20;

interface Query {
  filter?: Record<string, Json>;
  sort?: Record<string, Json>;
  projection?: Record<string, Json>;
}

interface Props {
  run: RunCommand;
  databaseId: string;
  keyspace: string;
  object: DataObject;
}

const idText = (id: Json | undefined) => JSON.stringify(id ?? null);

/** One collection's documents, 20 a page, with a filter/sort/projection bar, insert, edit and delete. */
export function DocumentsView({ run, databaseId, keyspace, object }: Props) {
  const client = useQueryClient();
  const target = { keyspace, collection: object.name };
  const [bar, setBar] = useState({ filter: '', sort: '', projection: '' });
  const [query, setQuery] = useState<Query>({});
  const [barError, setBarError] = useState<Error | null>(null);
  const [page, setPage] = useState(0);
  const [editing, setEditing] = useState<{ id?: Json; text: string } | null>(null);
  const [deleting, setDeleting] = useState<{ id: Json } | null>(null);
  const listKey = ['explorer', databaseId, keyspace, object.name, 'documents'];

  const documents = useQuery({
    queryKey: [...listKey, query, page],
    placeholderData: keepPreviousData,
    queryFn: async () => {
      // One more than a page says whether a next page exists.
      const options = { limit: DOCUMENTS_PAGE + 1, ...(page > 0 ? { skip: page * DOCUMENTS_PAGE } : {}) };
      const answer = await run(target, { find: { ...query, options } });
      return (answer.data?.documents ?? []) as Document[];
    },
  });
  const refresh = () => client.invalidateQueries({ queryKey: listKey });

  const save = useMutation({
    mutationFn: async (edit: { id?: Json; text: string }) => {
      const document = parseJsonField('The document', edit.text) ?? {};
      if (edit.id === undefined) return run(target, { insertOne: { document } });
      const { _id: _kept, ...replacement } = document;
      return run(target, { findOneAndReplace: { filter: { _id: edit.id }, replacement } });
    },
    onSuccess: async () => {
      setEditing(null);
      await refresh();
    },
  });
  // The page may show a projection; editing starts from the whole document, its vector included.
  const openEditor = useMutation({
    mutationFn: async (id: Json) => {
      const answer = await run(target, { findOne: { filter: { _id: id }, projection: { '*': 1 } } });
      const document = answer.data?.document as Document | null | undefined;
      if (!document) throw new Error(`Document ${idText(id)} is no longer in ${object.name}.`);
      return { id, text: JSON.stringify(document, null, 2) };
    },
    onSuccess: (edit) => {
      save.reset();
      setEditing(edit);
    },
  });
  const remove = useMutation({
    mutationFn: (id: Json) => run(target, { deleteOne: { filter: { _id: id } } }),
    onSuccess: async () => {
      setDeleting(null);
      await refresh();
    },
  });

  const apply = (event: FormEvent) => {
    event.preventDefault();
    try {
      setQuery({
        filter: parseJsonField('The filter', bar.filter),
        sort: parseJsonField('The sort', bar.sort),
        projection: parseJsonField('The projection', bar.projection),
      });
      setBarError(null);
      setPage(0);
    } catch (error) {
      setBarError(error as Error);
    }
  };
  const shown = documents.data?.slice(0, DOCUMENTS_PAGE);
  const hasNext = (documents.data?.length ?? 0) > DOCUMENTS_PAGE;
  const filtered = query.filter !== undefined;

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={3}>
          {keyspace}.{object.name}
        </Title>
        <Button
          onClick={() => {
            save.reset();
            setEditing({ text: '{\n  \n}' });
          }}
        >
          Insert document
        </Button>
      </Group>
      <form onSubmit={apply} aria-label="Query">
        <Group align="end" wrap="wrap">
          <TextInput
            label="Filter"
            placeholder='{"year": {"$gte": 1990}}'
            value={bar.filter}
            onChange={(e) => setBar({ ...bar, filter: e.currentTarget.value })}
            w={280}
          />
          <TextInput
            label="Sort"
            placeholder='{"year": -1}'
            value={bar.sort}
            onChange={(e) => setBar({ ...bar, sort: e.currentTarget.value })}
            w={180}
          />
          <TextInput
            label="Projection"
            placeholder='{"title": 1}'
            value={bar.projection}
            onChange={(e) => setBar({ ...bar, projection: e.currentTarget.value })}
            w={180}
          />
          <Button type="submit" variant="default">
            Apply
          </Button>
        </Group>
      </form>
      <ErrorNotice error={barError} title="The query was not applied" />
      <ErrorNotice error={openEditor.error ?? remove.error} />
      <ListState
        items={shown}
        error={documents.error}
        errorTitle="The documents could not be read"
        loading="Loading documents…"
        whenEmpty={
          filtered
            ? 'No document matches this filter. Change or clear the filter, then click Apply.'
            : page > 0
              ? 'There are no more documents. Go back a page.'
              : 'This collection has no documents yet. Click Insert document to add the first one.'
        }
      >
        {(items) => (
          <Table striped aria-label={`Documents of ${object.name}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>_id</Table.Th>
                <Table.Th>Document</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((d) => {
                const { _id: id = null, ...rest } = d;
                return (
                  <Table.Tr key={idText(id)} data-document-id={idText(id)}>
                    <Table.Td>
                      <Code>{idText(id)}</Code>
                    </Table.Td>
                    <Table.Td>
                      <Code block style={{ maxHeight: 160, overflow: 'auto', whiteSpace: 'pre-wrap' }}>
                        {JSON.stringify(rest)}
                      </Code>
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Button
                          size="xs"
                          variant="default"
                          aria-label={`Edit document ${idText(id)}`}
                          loading={openEditor.isPending && openEditor.variables === id}
                          onClick={() => openEditor.mutate(id)}
                        >
                          Edit
                        </Button>
                        <Button
                          size="xs"
                          variant="default"
                          color="red"
                          aria-label={`Delete document ${idText(id)}`}
                          onClick={() => {
                            remove.reset();
                            setDeleting({ id });
                          }}
                        >
                          Delete
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
      </ListState>
      <Group>
        <Button variant="default" disabled={page === 0} onClick={() => setPage(page - 1)}>
          Previous page
        </Button>
        <Text size="sm" aria-live="polite">
          Page {page + 1}
          {documents.isFetching ? ' (loading…)' : ''}
        </Text>
        <Button variant="default" disabled={!hasNext} onClick={() => setPage(page + 1)}>
          Next page
        </Button>
      </Group>
      <FormModal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={
          editing?.id === undefined ? `Insert a document into ${object.name}` : `Edit document ${idText(editing.id)}`
        }
        submitLabel={editing?.id === undefined ? 'Insert document' : 'Save document'}
        error={save.error}
        errorTitle="The document was not saved"
        submitting={save.isPending}
        onSubmit={() => editing && save.mutate(editing)}
      >
        <Textarea
          label="Document (JSON)"
          description={
            editing?.id === undefined
              ? 'Leave out _id to have one generated.'
              : 'The whole document is replaced; its _id stays.'
          }
          autosize
          minRows={8}
          maxRows={24}
          styles={{ input: { fontFamily: 'monospace' } }}
          value={editing?.text ?? ''}
          onChange={(e) => editing && setEditing({ ...editing, text: e.currentTarget.value })}
        />
      </FormModal>
      <FormModal
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        title="Delete document"
        submitLabel="Delete document"
        danger
        error={remove.error}
        submitting={remove.isPending}
        onSubmit={() => deleting && remove.mutate(deleting.id)}
      >
        <Text>
          Document <Code>{idText(deleting?.id)}</Code> will be deleted from {object.name} for good.
        </Text>
      </FormModal>
    </Stack>
  );
}
