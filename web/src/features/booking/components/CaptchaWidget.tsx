import { Box, Button, Group, Input, Loader, Stack, Text } from '@mantine/core';
import { useEffect, useEffectEvent, useImperativeHandle, useRef, useState, type Ref } from 'react';
import type { CaptchaConfig } from '../api/config';
import { loadCaptchaScript, type CaptchaApi, type CaptchaRenderOptions, type WidgetId } from '../utils/captcha-script';

export interface CaptchaWidgetHandle {
  /** A fresh challenge: a token is good for one booking attempt only. */
  reset: () => void;
}

interface CaptchaWidgetProps {
  config: CaptchaConfig;
  /** The widget's token once the visitor passed the check; null when it expired or failed. */
  onToken: (token: string | null) => void;
  /** Why the API refused the last token (422 on `captcha_token`), shown under the widget. */
  error?: string | null;
  ref?: Ref<CaptchaWidgetHandle>;
}

type Status = 'loading' | 'ready' | 'failed';

// The height of Turnstile's and hCaptcha's normal widgets: the form does not jump once drawn.
const WIDGET_HEIGHT = 65;

/** The provider's widget (Turnstile or hCaptcha), drawn with its script loaded once. */
export function CaptchaWidget({ config, onToken, error, ref }: CaptchaWidgetProps) {
  const { widget: kind, site_key: siteKey, script_url: scriptUrl } = config;
  const container = useRef<HTMLDivElement>(null);
  const drawn = useRef<{ api: CaptchaApi; id: WidgetId | undefined } | null>(null);
  const [status, setStatus] = useState<Status>('loading');
  const [attempt, setAttempt] = useState(0);
  const tokenChanged = useEffectEvent((token: string | null) => onToken(token));

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    let active = true;
    loadCaptchaScript({ widget: kind, script_url: scriptUrl }).then(
      (captcha) => {
        if (!active) return;
        const options: CaptchaRenderOptions = {
          sitekey: siteKey,
          callback: (token) => tokenChanged(token),
          'expired-callback': () => tokenChanged(null),
          'error-callback': () => tokenChanged(null),
          // Turnstile only: an interactive challenge left too long, and a widget as wide as the form.
          ...(kind === 'turnstile' ? { 'timeout-callback': () => tokenChanged(null), size: 'flexible' } : {}),
        };
        try {
          drawn.current = { api: captcha, id: captcha.render(element, options) };
          setStatus('ready');
        } catch {
          setStatus('failed'); // e.g. a site key the provider does not know
        }
      },
      () => {
        if (active) setStatus('failed');
      },
    );
    return () => {
      active = false;
      const widget = drawn.current;
      drawn.current = null;
      if (widget && widget.id !== undefined) widget.api.remove?.(widget.id);
      element.replaceChildren();
      tokenChanged(null);
    };
  }, [kind, siteKey, scriptUrl, attempt]);

  useImperativeHandle(
    ref,
    () => ({
      reset: () => {
        const widget = drawn.current;
        if (widget) widget.api.reset(widget.id);
      },
    }),
    [],
  );

  return (
    <Input.Wrapper label="Robot check" labelElement="div" error={error} errorProps={{ role: 'alert' }}>
      <Box mih={WIDGET_HEIGHT} mt={4} maw="100%">
        <div ref={container} data-testid="captcha-widget" />
        {status === 'loading' && (
          <Group gap="xs" role="status" mih={WIDGET_HEIGHT}>
            <Loader size="xs" aria-hidden />
            <Text size="sm" c="dimmed">
              Loading the robot check…
            </Text>
          </Group>
        )}
        {status === 'failed' && (
          <Stack gap="xs" align="flex-start" role="alert">
            <Text size="sm" c="error">
              The robot check could not be loaded. Check your connection, or allow it if a blocker stopped it,
              then try again.
            </Text>
            <Button
              size="xs"
              variant="outline"
              onClick={() => {
                setStatus('loading');
                setAttempt((count) => count + 1);
              }}
            >
              Load the robot check again
            </Button>
          </Stack>
        )}
      </Box>
    </Input.Wrapper>
  );
}
