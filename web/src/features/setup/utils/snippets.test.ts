import { bookingLink, buttonSnippet, iframeSnippet } from './snippets';

describe('the booking link and website snippets', () => {
  it('links to the booking page at this origin', () => {
    expect(bookingLink('https://book.example.com', 'salon-ada')).toBe('https://book.example.com/b/salon-ada');
  });

  it('embeds the page in an iframe named after the business, with its name escaped', () => {
    const html = iframeSnippet('https://book.example.com/b/salon-ada', 'Ada & "Co" <Hair>');
    expect(html).toContain('src="https://book.example.com/b/salon-ada"');
    expect(html).toContain('title="Book an appointment with Ada &amp; &quot;Co&quot; &lt;Hair&gt;"');
    expect(html).toMatch(/^<iframe [^>]*><\/iframe>$/);
  });

  it('makes a link that looks like a button and opens the page in a new tab', () => {
    const html = buttonSnippet('https://book.example.com/b/salon-ada');
    expect(html).toMatch(/^<a href="https:\/\/book\.example\.com\/b\/salon-ada" target="_blank" rel="noopener" /);
    expect(html).toMatch(/>Book online<\/a>$/);
  });
});
