// Device management: GET /devices, GET/PUT/DELETE /devices/{deviceId}, POST /delete_devices.
import type { FastifyInstance } from 'fastify';
import type { AccountSettings } from '../../../config/account-settings.ts';
import { deleteOwnDevices } from '../../../services/devices/delete-devices.ts';
import { getOwnDevice, listOwnDevices } from '../../../services/devices/list-devices.ts';
import { updateOwnDevice } from '../../../services/devices/update-device.ts';
import { requesterOf } from '../../plugins/client-auth.ts';
import { objectBody, optionalString, requiredStringArray } from '../../validation.ts';
import { accountDeps } from './account-deps.ts';

interface DeviceParams {
  deviceId: string;
}

const MAX_DISPLAY_NAME_LENGTH = 512;
const MAX_DEVICES_PER_REQUEST = 1_000;

export function deviceRoutes(app: FastifyInstance, settings: AccountSettings): void {
  app.get('/_matrix/client/v3/devices', { config: { auth: 'required' } }, async (request) => listOwnDevices(request.tenant, requesterOf(request)));

  app.get<{ Params: DeviceParams }>('/_matrix/client/v3/devices/:deviceId', { config: { auth: 'required' } }, async (request) =>
    getOwnDevice(request.tenant, requesterOf(request), request.params.deviceId),
  );

  app.put<{ Params: DeviceParams }>('/_matrix/client/v3/devices/:deviceId', { config: { auth: 'required' } }, async (request) => {
    const body = objectBody(request.body);
    const displayName = optionalString(body, 'display_name', { maxLength: MAX_DISPLAY_NAME_LENGTH });
    return updateOwnDevice(request.tenant, requesterOf(request), request.params.deviceId, { displayName });
  });

  app.delete<{ Params: DeviceParams }>('/_matrix/client/v3/devices/:deviceId', { config: { auth: 'required' } }, async (request) => {
    const body = objectBody(request.body, { optional: true });
    return deleteOwnDevices(request.tenant, accountDeps(request, settings), requesterOf(request), [request.params.deviceId], body.auth);
  });

  app.post('/_matrix/client/v3/delete_devices', { config: { auth: 'required' } }, async (request) => {
    const body = objectBody(request.body);
    const devices = requiredStringArray(body, 'devices', { maxItems: MAX_DEVICES_PER_REQUEST });
    return deleteOwnDevices(request.tenant, accountDeps(request, settings), requesterOf(request), devices, body.auth);
  });
}
