/** The booking link and the HTML a business pastes into its own website. */

export function bookingLink(origin: string, slug: string): string {
  return `${origin}/b/${encodeURIComponent(slug)}`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The booking page in an <iframe>, as wide as the page allows. */
export function iframeSnippet(link: string, businessName: string): string {
  return (
    `<iframe src="${escapeHtml(link)}" title="Book an appointment with ${escapeHtml(businessName)}" ` +
    `style="width:100%;max-width:640px;height:900px;border:0" loading="lazy"></iframe>`
  );
}

/** A link styled as a button that opens the booking page. */
export function buttonSnippet(link: string, label = 'Book online'): string {
  return (
    `<a href="${escapeHtml(link)}" target="_blank" rel="noopener" ` +
    `style="display:inline-block;padding:12px 24px;background:#1864ab;color:#ffffff;` +
    `border-radius:8px;font:600 16px/1.2 sans-serif;text-decoration:none">${escapeHtml(label)}</a>`
  );
}
