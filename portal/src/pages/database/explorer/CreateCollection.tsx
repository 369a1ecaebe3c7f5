import { Checkbox, NumberInput, Select, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { FormModal } from '../../../components/FormModal';
import type { RunCommand } from './data-api';

const COLLECTION_NAME = /^[A-Za-z][A-Za-z0-9_]{0,47}$/;
const METRICS = [
  { value: 'cosine', label: 'Cosine' },
  { value: 'dot_product', label: 'Dot product' },
  { value: 'euclidean', label: 'Euclidean' },
];

interface Props {
  opened: boolean;
  onClose: () => void;
  run: RunCommand;
  keyspace: string;
  onCreated: (name: string) => Promise<void>;
}

/** Create collection: a name and, for vector search, the vectors' dimension and similarity metric. */
export function CreateCollection({ opened, onClose, run, keyspace, onCreated }: Props) {
  const [name, setName] = useState('');
  const [vector, setVector] = useState(false);
  const [dimension, setDimension] = useState<number | string>(1024);
  const [metric, setMetric] = useState<string | null>('cosine');
  const [touched, setTouched] = useState(false);
  const nameError =
    touched && !COLLECTION_NAME.test(name)
      ? 'Use letters, digits and underscores, starting with a letter, at most 48 characters.'
      : undefined;

  const create = useMutation({
    mutationFn: () =>
      run(
        { keyspace },
        {
          createCollection: {
            name,
            ...(vector ? { options: { vector: { dimension: Number(dimension), metric } } } : {}),
          },
        },
      ),
    onSuccess: async () => {
      const created = name;
      setName('');
      setTouched(false);
      await onCreated(created);
    },
  });

  return (
    <FormModal
      opened={opened}
      onClose={onClose}
      title={`Create a collection in ${keyspace}`}
      submitLabel="Create collection"
      error={create.error}
      errorTitle="The collection was not created"
      submitting={create.isPending}
      onSubmit={() => {
        setTouched(true);
        if (COLLECTION_NAME.test(name)) create.mutate();
      }}
    >
      <TextInput
        label="Collection name"
        required
        value={name}
        error={nameError}
        onChange={(e) => setName(e.currentTarget.value)}
      />
      <Checkbox
        label="Vector-enabled collection"
        checked={vector}
        onChange={(e) => setVector(e.currentTarget.checked)}
      />
      {vector && (
        <>
          <NumberInput
            label="Dimensions"
            description="The length of the vectors the collection stores"
            min={1}
            max={4096}
            value={dimension}
            onChange={setDimension}
            required
          />
          <Select label="Similarity metric" data={METRICS} value={metric} onChange={setMetric} allowDeselect={false} />
        </>
      )}
    </FormModal>
  );
}
