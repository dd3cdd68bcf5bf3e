import { describe, expect, it } from 'vitest';
import { parseEmail } from './parse-email';

const mail = (lines: string[]) => lines.join('\n');

describe('parseEmail', () => {
  it('reads folded headers, skips the mbox line and later duplicates', () => {
    const email = parseEmail(mail(['From someone  Thu Aug 22 12:36:23 2002', 'Subject: a long', '  subject', 'Subject: second', 'From: Ann <a@b.c>', '', 'Body']));
    expect(email.subject).toBe('a long subject');
    expect(email.from).toBe('Ann <a@b.c>');
    expect(email.headers.subject).toBe('a long subject');
    expect(email.body).toBe('Body');
  });

  it('decodes RFC 2047 subjects, quoted-printable and base64 bodies in their charset', () => {
    expect(parseEmail('Subject: =?utf-8?Q?caf=C3=A9_ok?= =?ISO-8859-1?B?6Q==?=\n\nx').subject).toBe('café oké');
    const qp = parseEmail(mail(['Content-Type: text/plain; charset=iso-8859-1', 'Content-Transfer-Encoding: quoted-printable', '', 'Caf=E9 au lait, a very long li=', 'ne =3D one']));
    expect(qp.body).toBe('Café au lait, a very long line = one');
    const utf8 = btoa(String.fromCharCode(...new TextEncoder().encode('Grüße\n')));
    const b64 = parseEmail(mail(['Content-Type: text/plain; charset="utf-8"', 'Content-Transfer-Encoding: BASE64', '', utf8, '--', 'list footer']));
    expect(b64.body).toBe('Grüße');
  });

  it('prefers text/plain in multipart/alternative and skips attachments', () => {
    const email = parseEmail(
      mail([
        'Content-Type: multipart/mixed; boundary="outer"', '', 'preamble', '--outer',
        'Content-Type: multipart/alternative; boundary=inner', '', '--inner', 'Content-Type: text/html', '', '<p>html version</p>',
        '--inner', 'Content-Type: text/plain', '', 'plain version', '--inner--', '--outer',
        'Content-Type: text/plain', 'Content-Disposition: attachment; filename=a.txt', '', 'attached', '--outer',
        'Content-Type: image/gif', '', 'GIF89a', '--outer--', 'epilogue',
      ]),
    );
    expect(email.body).toBe('plain version');
  });

  it('turns HTML (declared or looking like it) into its visible text', () => {
    const html = parseEmail('Content-Type: text/html\n\n<html><head><style>p{}</style></head><body><p>Hello&nbsp;<b>world</b> &amp; &#233;&#x21;</p><br>Bye<!-- hidden --></body></html>');
    expect(html.body).toBe('Hello world & é!\nBye');
    expect(parseEmail('\n\n<HTML><BODY>Hi <i>there</i></BODY></HTML>').body).toBe('Hi there');
    expect(parseEmail('Content-Type: text/plain\n\n<b>kept</b>').body).toBe('<b>kept</b>');
  });

  it('never throws on malformed mail, but names a non-string', () => {
    expect(parseEmail('').body).toBe('');
    expect(parseEmail('no headers at all').subject).toBe('');
    expect(parseEmail('Content-Type: multipart/mixed\n\nno boundary').body).toBe('no boundary');
    expect(() => parseEmail(42 as never)).toThrow(/raw must be a string; got number/);
  });
});
