import { Button, Group, Modal, Stack } from '@mantine/core';
import type { FormEvent, ReactNode } from 'react';
import { ErrorNotice } from './Feedback';

export interface FormModalProps {
  opened: boolean;
  onClose: () => void;
  title: string;
  /** The label of the button that sends the form, in the seed's own words where it has them. */
  submitLabel: string;
  onSubmit: () => void;
  /** The failure of the last attempt, shown with the API's own message. */
  error?: unknown;
  errorTitle?: string;
  submitting?: boolean;
  submitDisabled?: boolean;
  /** Red for actions that destroy something. */
  danger?: boolean;
  children: ReactNode;
}

/** Every dialog that sends something: its fields, the last error, Cancel and the action's own button. */
export function FormModal(props: FormModalProps) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!props.submitDisabled) props.onSubmit();
  };
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={props.title} size="lg">
      <form onSubmit={submit}>
        <Stack>
          <ErrorNotice error={props.error} title={props.errorTitle} />
          {props.children}
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              Cancel
            </Button>
            <Button
              type="submit"
              color={props.danger ? 'red' : undefined}
              loading={props.submitting}
              disabled={props.submitDisabled}
            >
              {props.submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
