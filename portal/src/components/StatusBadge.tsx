import { Badge } from '@mantine/core';

const COLORS: Record<string, string> = {
  ACTIVE: 'green',
  PENDING: 'yellow',
  INITIALIZING: 'yellow',
  MAINTENANCE: 'orange',
  PARKING: 'gray',
  PARKED: 'gray',
  UNPARKING: 'yellow',
  RESIZING: 'orange',
  TERMINATING: 'red',
  TERMINATED: 'red',
  ERROR: 'red',
};

// Dark text on light backgrounds keeps every status readable (contrast) whatever its colour.
export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge color={COLORS[status] ?? 'gray'} variant="light" autoContrast data-status={status}>
      {status}
    </Badge>
  );
}
