import { createTheme, darken, type CSSVariablesResolver } from '@mantine/core';

export const theme = createTheme({
  // Shade 8 keeps white button text and links above 4.5:1 contrast.
  primaryColor: 'blue',
  primaryShade: 8,
  // Mantine's default is the system font stack: nothing is fetched from the network.
  focusRing: 'auto',
  defaultRadius: 'md',
});

/**
 * "Dimmed" text defaults to gray 6 (3.3:1 on white); gray 7 reads at 7:1. Error text (a
 * field's message, alerts in red) defaults to red 6, also 3.3:1; red 9 reads at 5.4:1. Light buttons and
 * badges put shade 6 text on a tinted background (about 3.5:1); shade 9 darkened by 30%
 * reads above 4.5:1 on every tint.
 */
export const cssVariablesResolver: CSSVariablesResolver = (currentTheme) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': currentTheme.colors.gray[7] ?? '#495057',
    '--mantine-color-error': currentTheme.colors.red[9] ?? '#c92a2a',
    ...Object.fromEntries(
      Object.entries(currentTheme.colors).map(([name, shades]) => [`--mantine-color-${name}-light-color`, darken(shades[9], 0.3)]),
    ),
  },
  dark: {},
});
