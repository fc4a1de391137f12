import type { CaptchaConfig } from '../api/config';

export type CaptchaKind = CaptchaConfig['widget'];
export type WidgetId = string | number;

/** The options Turnstile's and hCaptcha's `render` both take (hCaptcha's are reCAPTCHA's). */
export interface CaptchaRenderOptions {
  sitekey: string;
  callback: (token: string) => void;
  'expired-callback': () => void;
  'error-callback': () => void;
  'timeout-callback'?: () => void;
  size?: string;
}

/** What the provider's script defines as `window.turnstile` or `window.hcaptcha`. */
export interface CaptchaApi {
  render: (container: HTMLElement, options: CaptchaRenderOptions) => WidgetId | undefined;
  reset: (widgetId?: WidgetId) => void;
  remove?: (widgetId: WidgetId) => void;
}

// The script defines the global synchronously in practice; a slower one gets this long.
const GLOBAL_WAIT_MS = 5_000;
const POLL_MS = 50;

const loading = new Map<string, Promise<void>>();

export function captchaApiOf(kind: CaptchaKind): CaptchaApi | null {
  const candidate = (window as unknown as Record<string, unknown>)[kind] as Partial<CaptchaApi> | undefined;
  return typeof candidate?.render === 'function' && typeof candidate.reset === 'function'
    ? (candidate as CaptchaApi)
    : null;
}

function addScript(url: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url;
    script.async = true;
    script.addEventListener('load', () => resolve());
    script.addEventListener('error', () => {
      script.remove();
      reject(new Error(`The robot check's script could not be loaded from ${new URL(url).origin}`));
    });
    document.head.appendChild(script);
  });
}

async function waitForGlobal(kind: CaptchaKind): Promise<CaptchaApi> {
  for (let waited = 0; waited <= GLOBAL_WAIT_MS; waited += POLL_MS) {
    const found = captchaApiOf(kind);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`The robot check's script did not define window.${kind}`);
}

/**
 * The provider's API, its script added to the page once however many widgets ask; a script
 * that failed to load is added again on the next call (the visitor's "Try again").
 */
export async function loadCaptchaScript(config: Pick<CaptchaConfig, 'widget' | 'script_url'>): Promise<CaptchaApi> {
  const ready = captchaApiOf(config.widget);
  if (ready) return ready;
  let pending = loading.get(config.script_url);
  if (!pending) {
    pending = addScript(config.script_url);
    loading.set(config.script_url, pending);
    pending.catch(() => loading.delete(config.script_url));
  }
  await pending;
  return waitForGlobal(config.widget);
}
