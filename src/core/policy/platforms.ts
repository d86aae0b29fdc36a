// Platform lists as buildx reads them: `--platform a,b` and build-push-action's `platforms:` input alike.

/** Splits platform lists on commas and newlines, trimmed, without empty entries. */
export function splitPlatforms(values: readonly string[]): string[] {
  return values
    .flatMap((value) => value.split(/[,\r\n]/))
    .map((platform) => platform.trim())
    .filter((platform) => platform !== '');
}

/** At most one platform; none means the builder's default platform, which is one. */
export function isSinglePlatform(values: readonly string[]): boolean {
  return new Set(splitPlatforms(values)).size <= 1;
}
