/**
 * Thrown for any text that is not a valid number resource. `input` is the text as given, `reason` the
 * precise problem; the message reads `"192.0.2.256": octet 4 is 256, above 255`.
 */
export class ResourceParseError extends Error {
  readonly input: string;
  readonly reason: string;

  constructor(input: string, reason: string) {
    super(`${JSON.stringify(input)}: ${reason}`);
    this.name = 'ResourceParseError';
    this.input = input;
    this.reason = reason;
  }
}
