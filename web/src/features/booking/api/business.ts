import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api';

export function useBusiness(slug: string) {
  return useQuery({
    queryKey: ['public-business', slug],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/public/businesses/{slug}', { params: { path: { slug } }, signal })),
    staleTime: 5 * 60_000,
  });
}
