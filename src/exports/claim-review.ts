import type { AssessmentStatus } from '../claims/domain/claim';

/**
 * schema.org ClaimReview (https://schema.org/ClaimReview) for an assessed claim, the JSON-LD
 * search engines and fact-check aggregators read. Pure: no I/O.
 */

/** How each assessment reads as a rating: 5 best, 1 worst; "unverifiable" rates nothing. */
const RATINGS: Record<Exclude<AssessmentStatus, 'unverified'>, { value: number | null; name: string }> = {
  corroborated: { value: 5, name: 'Corroborated' },
  contested: { value: 3, name: 'Contested' },
  refuted: { value: 1, name: 'Refuted' },
  unverifiable: { value: null, name: 'Unverifiable' },
};

export interface ReviewedClaim {
  summary: string;
  statedAt: string;
  claimantName: string;
  /** The sources' links, where they have one. */
  urls: string[];
  assessment: { status: Exclude<AssessmentStatus, 'unverified'>; rationale: string; recordedAt: string };
  /** Where the claim's page is. */
  url: string;
  /** Who publishes the review: the tracker's operator. */
  publisher: string;
}

export function claimReview(c: ReviewedClaim): Record<string, unknown> {
  const rating = RATINGS[c.assessment.status];
  return {
    '@context': 'https://schema.org',
    '@type': 'ClaimReview',
    url: c.url,
    claimReviewed: c.summary,
    datePublished: c.assessment.recordedAt.slice(0, 10),
    author: { '@type': 'Organization', name: c.publisher },
    reviewBody: c.assessment.rationale,
    itemReviewed: {
      '@type': 'Claim',
      datePublished: c.statedAt.slice(0, 10),
      author: { '@type': 'Organization', name: c.claimantName },
      appearance: c.urls.map((url) => ({ '@type': 'CreativeWork', url })),
    },
    reviewRating: {
      '@type': 'Rating',
      ...(rating.value === null ? {} : { ratingValue: rating.value, bestRating: 5, worstRating: 1 }),
      alternateName: rating.name,
    },
  };
}
