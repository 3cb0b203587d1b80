/** The languages whose copy the extractors read. The design leaves room for ru, hy and az. */
export const SUPPORTED_LANGUAGES = ['en'] as const;

const ENGLISH_WORDS = /\b(the|and|of|said|in|on|that|was|were|to|forces|ministry)\b/gi;

/**
 * The language of a report, from its script and its commonest words: Cyrillic is read as
 * Russian, Armenian script as Armenian, the Azerbaijani Latin letters (ə, ğ, ı, ş) as
 * Azerbaijani, Latin text with English function words as English; `und` when none fits.
 */
export function detectLanguage(text: string): string {
  const sample = text.slice(0, 5000);
  const letters = sample.match(/\p{L}/gu)?.length ?? 0;
  if (letters === 0) return 'und';
  const share = (re: RegExp) => (sample.match(re)?.length ?? 0) / letters;
  if (share(/\p{Script=Armenian}/gu) > 0.3) return 'hy';
  if (share(/\p{Script=Cyrillic}/gu) > 0.3) return 'ru';
  if (share(/[əğışƏĞİŞ]/gu) > 0.01) return 'az';
  const words = sample.split(/\s+/).length;
  if ((sample.match(ENGLISH_WORDS)?.length ?? 0) / Math.max(words, 1) > 0.05) return 'en';
  return 'und';
}

export const isSupportedLanguage = (code: string): boolean => (SUPPORTED_LANGUAGES as readonly string[]).includes(code.toLowerCase().split('-')[0] ?? '');
