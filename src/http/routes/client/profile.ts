// Profiles: GET /profile/{userId}, GET/PUT /profile/{userId}/displayname and …/avatar_url.
// Lookups need no access token (a given token must be valid); changes need the user's own.
import type { FastifyInstance } from 'fastify';
import { getProfile, getProfileField, type ProfileField } from '../../../services/profile/get-profile.ts';
import { setProfileField } from '../../../services/profile/set-profile-field.ts';
import { requesterOf } from '../../plugins/client-auth.ts';
import { objectBody } from '../../validation.ts';

interface ProfileParams {
  userId: string;
}

const PROFILE = '/_matrix/client/v3/profile/:userId';
const FIELDS: readonly ProfileField[] = ['displayname', 'avatar_url'];

export function profileRoutes(app: FastifyInstance): void {
  app.get<{ Params: ProfileParams }>(PROFILE, { config: { auth: 'optional' } }, async (request) => getProfile(request.tenant, request.params.userId));

  for (const field of FIELDS) {
    app.get<{ Params: ProfileParams }>(`${PROFILE}/${field}`, { config: { auth: 'optional' } }, async (request) =>
      getProfileField(request.tenant, request.params.userId, field),
    );
    app.put<{ Params: ProfileParams }>(`${PROFILE}/${field}`, { config: { auth: 'required' } }, async (request) =>
      setProfileField(request.tenant, requesterOf(request).userId, request.params.userId, field, objectBody(request.body)),
    );
  }
}
