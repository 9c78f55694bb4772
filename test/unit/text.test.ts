/** Text fields refuse what no shop text holds (control characters, broken Unicode) and keep everything else. */
import fc from 'fast-check';
import { multilineText, text } from '../../domain/text';

const field = text(200);

test('names in any script, emoji and punctuation are kept (trimmed)', () => {
  for (const name of ['李雷', 'Zoë O’Brien-Smith', 'Ngô Bảo Châu', '🎁 gift shop', "<b>Tom</b> & 'Jerry'"]) {
    expect(field.parse(`  ${name} `)).toBe(name);
  }
});

test('NUL, other control characters and lone surrogates are refused with a message', () => {
  for (const bad of ['Li\u0000Lei', 'bell\u0007', 'esc\u001b[31m', 'del\u007f', 'half \ud83c', '\udc00 low']) {
    const result = field.safeParse(bad);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toMatch(/control characters or broken Unicode/);
  }
});

test('line breaks are refused in one-line fields and kept in multi-line notes', () => {
  expect(field.safeParse('line one\nline two').success).toBe(false);
  expect(multilineText(500).parse('line one\nline two\tend')).toBe('line one\nline two\tend');
  expect(multilineText(500).safeParse('note\u0000').success).toBe(false);
});

test('property: a string is accepted exactly when it is non-blank, short enough and has no forbidden character', () => {
  // C0 controls and DEL by their code, not in a regular expression (where no-control-regex takes them for a slip).
  const control = (unit: number) => unit <= 0x1f || unit === 0x7f;
  const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
  const hasForbidden = (s: string) => [...s].some((c) => control(c.charCodeAt(0))) || loneSurrogate.test(s);
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (value) => {
      const trimmed = value.trim();
      const expected = trimmed.length >= 1 && trimmed.length <= 20 && !hasForbidden(trimmed);
      expect(text(20).safeParse(value).success).toBe(expected);
    }),
    { numRuns: 1000 },
  );
});
