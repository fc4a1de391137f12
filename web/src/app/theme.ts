import { createTheme, type CSSVariablesResolver } from '@mantine/core';

export const theme = createTheme({
  // Shade 8 keeps white button text and links above 4.5:1 contrast.
  primaryColor: 'blue',
  primaryShade: 8,
  // Mantine's default is the system font stack: nothing is fetched from the network.
  focusRing: 'auto',
  defaultRadius: 'md',
});

/** "Dimmed" text defaults to gray 6 (3.3:1 on white); gray 7 reads at 7:1. */
export const cssVariablesResolver: CSSVariablesResolver = (currentTheme) => ({
  variables: {},
  light: { '--mantine-color-dimmed': currentTheme.colors.gray[7] ?? '#495057' },
  dark: {},
});
