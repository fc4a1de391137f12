import { useMediaQuery } from '@mantine/hooks';

function matches(query: string): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia(query).matches;
}

/** Whether the screen is at least `em` wide, known from the first render (no layout flash). */
export function useMinWidth(em: number): boolean {
  const query = `(min-width: ${em}em)`;
  return useMediaQuery(query, matches(query), { getInitialValueInEffect: false });
}
