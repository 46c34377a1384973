import type { Lang } from './types.js';

// How a stitched person reads on canvas (issue 18): "Camping #3n_v3C" over "3 ids".

/** The person fields of an entity, as the server gives them (absent on servers without identity). */
export interface PersonFields {
  type?: string;
  person?: string | null;
  personIds?: number | null;
}

/** True for a consumer the server stitched with other ids (a person of two or more ids). */
export function isStitched(e: PersonFields): e is PersonFields & { person: string; personIds: number } {
  return e.type === 'Consumer' && typeof e.person === 'string' && e.person !== '' && typeof e.personIds === 'number' && e.personIds > 1;
}

/** A person pseudonym's short form, "#3n_v3C" (the person id is "p_" + 22 characters). */
export function personHash(person: string): string {
  return `#${person.replace(/^p_/, '').slice(0, 6)}`;
}

/** "3 ids" / "3 个身份": the line under a stitched person's label. */
export function idsText(n: number, lang: Lang): string {
  return lang === 'zh' ? `${n} 个身份` : `${n} ids`;
}

/** The first line of a stitched person's label: its segment (when known) or "Person", and the person's short hash. */
export function personLabel(person: string, lang: Lang, segment?: string | null): string {
  return `${segment || (lang === 'zh' ? '消费者' : 'Person')} ${personHash(person)}`;
}

