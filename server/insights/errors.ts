/** Bad input to an insight (the API reports BAD_USER_INPUT). */
export class InsightInputError extends Error {
  override name = 'InsightInputError';
}

/** A named entity or segment does not exist (the API reports NOT_FOUND). */
export class InsightNotFoundError extends Error {
  override name = 'InsightNotFoundError';
}
