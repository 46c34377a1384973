/** Bad arguments (the API answers BAD_USER_INPUT). */
export class RecommendInputError extends Error {
  override name = 'RecommendInputError';
}

/** The consumer or entity does not exist (the API answers NOT_FOUND). */
export class RecommendNotFoundError extends Error {
  override name = 'RecommendNotFoundError';
}
