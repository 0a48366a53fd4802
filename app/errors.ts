/** A failure that retrying cannot fix (a malformed payload, a 400 from LINE): the job fails at once. */
export class PermanentError extends Error {
  override name = "PermanentError";
}
