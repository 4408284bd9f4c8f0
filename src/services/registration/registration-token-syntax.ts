/** Registration tokens use the opaque identifier grammar, at most 64 characters. */
export function isRegistrationTokenSyntax(token: string): boolean {
  return /^[A-Za-z0-9._~-]{1,64}$/.test(token);
}
