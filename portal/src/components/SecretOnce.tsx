import { Alert, Button, Code, CopyButton, Group, Stack, Text } from '@mantine/core';

export interface GeneratedToken {
  clientId: string;
  secret: string;
  token: string;
  roles: string[];
  generatedOn?: string;
}

function download(name: string, type: string, content: string) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

const csvField = (value: string) => `"${value.replaceAll('"', '""')}"`;

/** A new token's details, shown once, with copy and CSV/JSON download. */
export function TokenOnce({ token }: { token: GeneratedToken }) {
  const details = {
    clientId: token.clientId,
    secret: token.secret,
    token: token.token,
    roles: token.roles,
    generatedOn: token.generatedOn,
  };
  return (
    <Alert color="green" title="Your token is ready: this is the only time it is shown" role="status">
      <Stack gap="xs">
        <Text size="sm">Copy or download it now and keep it somewhere safe.</Text>
        <Code block data-testid="generated-token">
          {token.token}
        </Code>
        <Group>
          <CopyButton value={token.token}>
            {({ copied, copy }) => (
              <Button size="xs" onClick={copy}>
                {copied ? 'Copied' : 'Copy token'}
              </Button>
            )}
          </CopyButton>
          <Button
            size="xs"
            variant="default"
            onClick={() =>
              download(`${token.clientId}-token.json`, 'application/json', JSON.stringify(details, null, 2))
            }
          >
            Download JSON
          </Button>
          <Button
            size="xs"
            variant="default"
            onClick={() =>
              download(
                `${token.clientId}-token.csv`,
                'text/csv',
                `Client Id,Client Secret,Token,Roles\n${[token.clientId, token.secret, token.token, token.roles.join(' ')].map(csvField).join(',')}\n`,
              )
            }
          >
            Download CSV
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
