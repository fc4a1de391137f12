import { useEffect } from 'react';

/** Every page names itself in the tab and for screen readers arriving on it. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · ApptRemind` : 'ApptRemind';
  }, [title]);
}
