import '@mantine/core/styles.css';
import { createTheme, MantineProvider, type CSSVariablesResolver } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { ApiFailure } from './api/client';
import { App } from './App';
import { databasesQuery } from './databases';
import { sessionQuery } from './session';

const queries = new QueryClient({
  defaultOptions: {
    // A refusal or a missing resource will not change by asking again at once.
    queries: {
      retry: (count, error) => !(error instanceof ApiFailure && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

// Mantine's default shades put some text (white on blue, grey or coloured on white) below the 4.5:1
// contrast that WCAG AA asks for; darker shades and dark text on light fills meet it.
const darkText = { color: 'var(--mantine-color-black)' };
const theme = createTheme({
  primaryShade: 8,
  autoContrast: true,
  // Plain objects rather than Component.extend(), so that these components stay out of the first download.
  components: {
    Alert: { styles: { title: darkText, message: darkText } },
    Badge: { styles: { root: darkText } },
    NavLink: { styles: { label: darkText, description: { color: 'var(--mantine-color-gray-8)' } } },
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } },
  },
});
const contrast: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
  },
  dark: {},
});

// Both first requests leave before React's first render, and the dashboard's first page goes together
// with the session rather than after it.
void queries.prefetchQuery(sessionQuery);
if (['/', '/databases'].includes(window.location.pathname)) void queries.prefetchInfiniteQuery(databasesQuery);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={contrast}>
      <QueryClientProvider client={queries}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
