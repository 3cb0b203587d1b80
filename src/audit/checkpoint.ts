/** A signed statement that the log's event at `position` had hash `hash` (hex). */
export interface SignedCheckpoint {
  position: number;
  hash: string;
  keyId: string;
  /** Ed25519 signature of checkpointMessage(position, hash), base64. */
  signature: string;
}

/** The exact bytes (UTF-8) a checkpoint's signature covers. */
export const checkpointMessage = (position: number, hash: string): string => `ceasefire-checkpoint:v1:${position}:${hash}`;
