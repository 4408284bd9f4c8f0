// Room IDs taken from request paths: anything but a well-formed room ID is 400
// M_INVALID_PARAM (so nothing malformed reaches the database).
import { MatrixError } from '../../errors/matrix-error.ts';
import { parseRoomId } from '../../protocol/ids.ts';

export function requireRoomIdParam(roomId: string): void {
  if (!parseRoomId(roomId) || Buffer.byteLength(roomId) > 255) throw new MatrixError('M_INVALID_PARAM', `${roomId} is not a valid room ID`);
}
