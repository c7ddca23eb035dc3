import { describe, expect, it } from 'vitest';
import { sitePattern } from './webmail-hosts.ts';

describe('a webmail site the user types', () => {
  it('becomes the origin pattern of that one site', () => {
    expect(sitePattern('mail.example.com')).toBe('https://mail.example.com/*');
    expect(sitePattern('https://Mail.Example.com/inbox?x=1')).toBe('https://mail.example.com/*');
    expect(sitePattern('http://127.0.0.2:8080/mail')).toBe('http://127.0.0.2/*');
  });

  it('refuses what is not one site on the web', () => {
    for (const bad of ['', 'not a site', '*.example.com', 'file:///etc/passwd', 'chrome://settings', 'javascript:alert(1)', 'intranet', `${'a'.repeat(300)}.com`]) expect(sitePattern(bad)).toBeUndefined();
  });
});
