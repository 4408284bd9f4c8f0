// What Tessera accepts as a new password. The spec lets servers reject weak passwords with
// M_WEAK_PASSWORD; clients are expected to enforce complexity, so the server only refuses
// empty ones and bounds the length (hashing cost and request size).
import { MatrixError } from '../../errors/matrix-error.ts';

export const MAX_PASSWORD_LENGTH = 512;

export function checkNewPassword(password: string): void {
  if (password.length === 0) throw new MatrixError('M_WEAK_PASSWORD', 'The password must not be empty');
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new MatrixError('M_INVALID_PARAM', `The password must be at most ${MAX_PASSWORD_LENGTH} characters`);
  }
}
