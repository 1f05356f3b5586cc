import { createTheme, rem, type CSSVariablesResolver, type MantineColorsTuple } from '@mantine/core';

export const FONT_FAMILY =
  '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", system-ui, -apple-system, "Segoe UI", sans-serif';
export const MONO_FAMILY =
  '"JetBrains Mono", "SFMono-Regular", "Cascadia Mono", Consolas, "Liberation Mono", "Noto Sans Mono CJK SC", monospace';

/** Cool, deep neutrals for a monitoring room: [0] text … [7] body … [9] deepest. */
const dark: MantineColorsTuple = [
  '#d7dce4',
  '#aeb6c3',
  '#8690a0',
  '#5d6778',
  '#343b47',
  '#272d37',
  '#1c212a',
  '#14181f',
  '#0f1217',
  '#0a0c10',
];

/** Restrained steel-blue accent. */
const accent: MantineColorsTuple = [
  '#e8f2fc',
  '#cfe1f5',
  '#a0c1e8',
  '#6c9fdb',
  '#4583cf',
  '#2d72c8',
  '#1f69c6',
  '#1358af',
  '#074e9d',
  '#00438b',
];

export const theme = createTheme({
  colors: { dark, accent },
  primaryColor: 'accent',
  autoContrast: true,
  primaryShade: { light: 6, dark: 7 },
  fontFamily: FONT_FAMILY,
  fontFamilyMonospace: MONO_FAMILY,
  headings: { fontFamily: FONT_FAMILY, fontWeight: '600' },
  defaultRadius: 'sm',
  cursorType: 'pointer',
  fontSizes: { xs: rem(11), sm: rem(12), md: rem(13), lg: rem(15), xl: rem(17) },
  lineHeights: { xs: '1.35', sm: '1.4', md: '1.45', lg: '1.5', xl: '1.55' },
  spacing: { xs: rem(6), sm: rem(8), md: rem(12), lg: rem(16), xl: rem(24) },
  radius: { xs: rem(2), sm: rem(3), md: rem(5), lg: rem(8), xl: rem(12) },
  components: {
    Button: { defaultProps: { size: 'xs' } },
    ActionIcon: { defaultProps: { variant: 'subtle', color: 'gray' } },
    Badge: { defaultProps: { radius: 'xs', size: 'sm' } },
    Tooltip: { defaultProps: { withArrow: true, openDelay: 250, fz: 'xs', multiline: true, maw: 360 } },
    Modal: {
      defaultProps: {
        centered: true,
        overlayProps: { backgroundOpacity: 0.6, blur: 2 },
        // 'fade' only: a scaling transition makes SegmentedControl measure its indicator mid-animation.
        transitionProps: { transition: 'fade', duration: 120 },
      },
    },
    Popover: { defaultProps: { shadow: 'md', withArrow: true } },
    Kbd: { defaultProps: { size: 'xs' } },
    Notification: { defaultProps: { withBorder: true } },
  },
});

/** Deeper body than Mantine's default dark, and panels one step lighter. */
export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {
    '--app-header-height': rem(46),
    '--app-footer-height': rem(26),
    '--app-row-height': rem(34),
  },
  light: {},
  dark: {
    '--mantine-color-body': t.colors.dark[8],
    '--mantine-color-default': t.colors.dark[6],
    '--mantine-color-default-hover': t.colors.dark[5],
    '--mantine-color-default-border': t.colors.dark[4],
    '--mantine-color-dimmed': t.colors.dark[2],
    '--app-panel': t.colors.dark[7],
    '--app-panel-raised': t.colors.dark[6],
    '--app-border': t.colors.dark[5],
    '--app-border-strong': t.colors.dark[4],
    '--app-overdue': t.colors.red[6],
    '--app-overdue-bg': 'rgba(224, 49, 49, 0.09)',
    '--app-overdue-bg-hover': 'rgba(224, 49, 49, 0.15)',
    '--app-row-hover': 'rgba(255, 255, 255, 0.035)',
    '--app-row-selected': 'rgba(45, 114, 200, 0.22)',
    '--app-row-cursor': accent[4],
  },
});
