import { z } from 'zod';

/** A UI language (the client's message catalogues): drives the locale when the user signs in, and the words of generated posters. */
export const UiLanguage = z.enum(['en', 'hi', 'te']);
export type UiLanguage = z.infer<typeof UiLanguage>;
