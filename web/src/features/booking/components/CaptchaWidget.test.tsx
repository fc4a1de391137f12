import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRef } from 'react';
import { renderWithProviders } from '@/test/render';
import type { CaptchaRenderOptions } from '../utils/captcha-script';
import { CaptchaWidget, type CaptchaWidgetHandle } from './CaptchaWidget';

const SCRIPT = 'https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit';
const config = { widget: 'turnstile' as const, site_key: 'site-key-1', script_url: SCRIPT };

/** A stand-in for Turnstile's script: it draws a checkbox that passes the check when ticked. */
function fakeTurnstile() {
  const widgets: { container: HTMLElement; options: CaptchaRenderOptions }[] = [];
  const turnstile = {
    render: vi.fn((container: HTMLElement, options: CaptchaRenderOptions) => {
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.setAttribute('aria-label', 'I am human');
      box.addEventListener('change', () => options.callback(`token-${widgets.length}`));
      container.append(box);
      widgets.push({ container, options });
      return `widget-${widgets.length}`;
    }),
    reset: vi.fn(),
    remove: vi.fn(),
  };
  vi.stubGlobal('turnstile', turnstile);
  return { turnstile, widgets };
}

function scriptsOf(url: string) {
  return [...document.head.querySelectorAll('script')].filter((script) => script.src === url);
}

afterEach(() => {
  vi.unstubAllGlobals();
  for (const script of document.head.querySelectorAll('script')) script.remove();
});

describe('CaptchaWidget', () => {
  it('draws the provider widget with the site key and hands over its token', async () => {
    const { turnstile, widgets } = fakeTurnstile();
    const onToken = vi.fn();
    renderWithProviders(<CaptchaWidget config={config} onToken={onToken} />);

    await userEvent.click(await screen.findByRole('checkbox', { name: 'I am human' }));

    expect(turnstile.render).toHaveBeenCalledTimes(1);
    expect(widgets[0]?.options.sitekey).toBe('site-key-1');
    expect(widgets[0]?.container).toBe(screen.getByTestId('captcha-widget'));
    expect(onToken).toHaveBeenLastCalledWith('token-1');
    expect(screen.queryByText('Loading the robot check…')).not.toBeInTheDocument();
    expect(scriptsOf(SCRIPT)).toHaveLength(0); // the provider was on the page already
  });

  it('forgets the token when it expires or the widget fails', async () => {
    const { widgets } = fakeTurnstile();
    const onToken = vi.fn();
    renderWithProviders(<CaptchaWidget config={config} onToken={onToken} />);
    await userEvent.click(await screen.findByRole('checkbox', { name: 'I am human' }));
    const options = widgets[0]!.options;

    act(() => options['expired-callback']());
    expect(onToken).toHaveBeenLastCalledWith(null);
    act(() => options.callback('token-again'));
    act(() => options['error-callback']());
    expect(onToken).toHaveBeenLastCalledWith(null);
  });

  it('resets its own widget on request and removes it when it goes', async () => {
    const { turnstile } = fakeTurnstile();
    const handle = createRef<CaptchaWidgetHandle>();
    const { unmount } = renderWithProviders(<CaptchaWidget ref={handle} config={config} onToken={() => {}} />);
    await screen.findByRole('checkbox', { name: 'I am human' });

    act(() => handle.current?.reset());
    expect(turnstile.reset).toHaveBeenCalledWith('widget-1');

    unmount();
    expect(turnstile.remove).toHaveBeenCalledWith('widget-1');
  });

  it('adds the script to the page once, however many widgets wait for it', async () => {
    renderWithProviders(
      <>
        <CaptchaWidget config={config} onToken={() => {}} />
        <CaptchaWidget config={config} onToken={() => {}} />
      </>,
    );
    expect(screen.getAllByText('Loading the robot check…')).toHaveLength(2);
    const [script, ...others] = scriptsOf(SCRIPT);
    expect(others).toHaveLength(0);

    const { turnstile } = fakeTurnstile(); // what the script defines as it runs
    act(() => void script!.dispatchEvent(new Event('load')));

    expect(await screen.findAllByRole('checkbox', { name: 'I am human' })).toHaveLength(2);
    expect(turnstile.render).toHaveBeenCalledTimes(2);
    expect(scriptsOf(SCRIPT)).toHaveLength(1);
  });

  it('says so when the script cannot be loaded, and loads it again on request', async () => {
    const url = `${SCRIPT}&blocked`;
    renderWithProviders(<CaptchaWidget config={{ ...config, script_url: url }} onToken={() => {}} />);
    act(() => void scriptsOf(url)[0]!.dispatchEvent(new Event('error')));

    expect(await screen.findByText(/robot check could not be loaded/)).toBeInTheDocument();
    expect(scriptsOf(url)).toHaveLength(0);

    await userEvent.click(screen.getByRole('button', { name: 'Load the robot check again' }));
    expect(scriptsOf(url)).toHaveLength(1);
    fakeTurnstile();
    act(() => void scriptsOf(url)[0]!.dispatchEvent(new Event('load')));
    expect(await screen.findByRole('checkbox', { name: 'I am human' })).toBeInTheDocument();
  });

  it('says so when the provider refuses to draw the widget', async () => {
    const { turnstile } = fakeTurnstile();
    turnstile.render.mockImplementation(() => {
      throw new Error('Invalid sitekey');
    });
    renderWithProviders(<CaptchaWidget config={config} onToken={() => {}} />);

    expect(await screen.findByText(/robot check could not be loaded/)).toBeInTheDocument();
  });

  it("shows the API's refusal of the last token next to the widget", async () => {
    fakeTurnstile();
    renderWithProviders(
      <CaptchaWidget config={config} onToken={() => {}} error="The robot check failed or expired; please try again" />,
    );

    expect(await screen.findByRole('alert')).toHaveTextContent('The robot check failed or expired');
  });
});
