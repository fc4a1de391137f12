import { MantineProvider } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';

/** Renders `element` at `path` (matched by `route`) with the app's providers, retries off. */
export function renderWithProviders(element: ReactElement, { route = '*', path = '/' } = {}) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <MantineProvider>
      <DatesProvider settings={{ firstDayOfWeek: 1 }}>
        <QueryClientProvider client={queryClient}>
          <MemoryRouter initialEntries={[path]}>
            <Routes>
              <Route path={route} element={element} />
            </Routes>
          </MemoryRouter>
        </QueryClientProvider>
      </DatesProvider>
    </MantineProvider>,
  );
}

type Handler = (url: URL, request: Request) => Response | Promise<Response>;

export function json(body: unknown, status = 200): Response {
  const type = status >= 400 ? 'application/problem+json' : 'application/json';
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } });
}

/** Stands in for the API: each request goes to the handler for "METHOD /path", else 404. */
export function mockApi(routes: Record<string, Handler>) {
  const calls: { method: string; url: URL; body: unknown }[] = [];
  const fetchMock = vi.fn(async (request: Request) => {
    const url = new URL(request.url);
    const text = await request.clone().text();
    calls.push({ method: request.method, url, body: text ? JSON.parse(text) : undefined });
    const handler = routes[`${request.method} ${url.pathname}`];
    if (!handler) return json({ type: 'about:blank', title: 'Not found', status: 404, detail: 'No such resource' }, 404);
    return handler(url, request);
  });
  vi.stubGlobal('fetch', fetchMock);
  return calls;
}
