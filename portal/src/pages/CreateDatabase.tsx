import { Checkbox, Select, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, okResponse } from '../api/client';
import { ErrorNotice } from '../components/Feedback';
import { FormModal } from '../components/FormModal';
import { DATABASE_NAME, KEYSPACE_NAME, useRegions } from '../databases';

const PROVIDERS = ['AWS', 'GCP', 'AZURE'];

export function CreateDatabase({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const navigate = useNavigate();
  const client = useQueryClient();
  const regions = useRegions(opened);
  const [name, setName] = useState('');
  const [provider, setProvider] = useState<string | null>('AWS');
  const [region, setRegion] = useState<string | null>(null);
  const [keyspace, setKeyspace] = useState('default_keyspace');
  const [vector, setVector] = useState(true);
  const [touched, setTouched] = useState(false);

  const nameError =
    touched && !DATABASE_NAME.test(name.trim())
      ? 'Use 1 to 50 letters, digits, dashes or underscores, starting with a letter or digit.'
      : undefined;
  const keyspaceError =
    touched && !KEYSPACE_NAME.test(keyspace)
      ? 'Use letters, digits and underscores, starting with a letter, at most 48 characters.'
      : undefined;
  const regionOptions = (regions.data ?? [])
    .filter((r) => r.cloudProvider.toUpperCase() === provider)
    .map((r) => ({ value: r.name, label: r.displayName ? `${r.displayName} (${r.name})` : r.name }));

  const create = useMutation({
    mutationFn: async () => {
      const body = {
        name: name.trim(),
        cloudProvider: provider!,
        region: region!,
        keyspace,
        tier: 'serverless',
        capacityUnits: 1,
        ...(vector ? { dbType: 'vector' } : {}),
      };
      return (await okResponse(api.POST('/v2/databases', { body }))).headers.get('location')!;
    },
    onSuccess: async (id) => {
      await client.invalidateQueries({ queryKey: ['databases'] });
      onClose();
      await navigate(`/databases/${id}`);
    },
  });
  const submit = () => {
    setTouched(true);
    if (!DATABASE_NAME.test(name.trim()) || !KEYSPACE_NAME.test(keyspace) || !region) return;
    create.mutate();
  };

  return (
    <FormModal
      opened={opened}
      onClose={onClose}
      title="Create database"
      submitLabel="Create database"
      error={create.error}
      errorTitle="The database was not created"
      submitting={create.isPending}
      onSubmit={submit}
    >
      <ErrorNotice error={regions.error} title="Regions could not be loaded" />
      <TextInput
        label="Database name"
        required
        value={name}
        error={nameError}
        onChange={(e) => setName(e.currentTarget.value)}
      />
      <Select
        label="Cloud provider"
        required
        data={PROVIDERS}
        value={provider}
        onChange={(v) => {
          setProvider(v);
          setRegion(null);
        }}
        allowDeselect={false}
      />
      <Select
        label="Region"
        required
        searchable
        data={regionOptions}
        value={region}
        onChange={setRegion}
        error={touched && !region ? 'Choose a region.' : undefined}
        nothingFoundMessage="No region of this provider"
      />
      <TextInput
        label="Keyspace name"
        required
        value={keyspace}
        error={keyspaceError}
        onChange={(e) => setKeyspace(e.currentTarget.value)}
      />
      <Checkbox label="Vector database" checked={vector} onChange={(e) => setVector(e.currentTarget.checked)} />
    </FormModal>
  );
}
