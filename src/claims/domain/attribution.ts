/** Admiralty grading: reliability of the source A (reliable) … F (cannot be judged). */
export const RELIABILITY_GRADES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export type Reliability = (typeof RELIABILITY_GRADES)[number];

/** A confidential source's identity, encrypted under a key kept outside the log (AES-256-GCM). */
export interface SealedIdentity {
  alg: 'AES-256-GCM';
  iv: string;
  ciphertext: string;
  tag: string;
}

/**
 * Who published a statement (the outlet: TASS) and who said it according to the outlet (the
 * speaker: the Russian Foreign Ministry), with Admiralty grades.
 */
export interface Attribution {
  attributionId: string;
  outlet: string;
  speaker?: string;
  url?: string;
  publishedAt?: string;
  quote?: string;
  language?: string;
  reliability: Reliability;
  /** 1 (confirmed) … 6 (cannot be judged). */
  credibility: number;
  confidential: boolean;
  protectedIdentity?: SealedIdentity;
}
