/** PTZ on a camera's main profile: moves, stop, presets, home. */
import { ContractError, type PtzPreset } from '@shared';
import { CameraCallError, type CameraConnection, type PtzVelocity } from './driver';
import { cameraErrors } from './errors';
import type { CameraRegistry } from './registry';

/** A failed call as the operator should read it: what the camera answered, or that it did not. */
export function callError(error: unknown): ContractError {
  if (error instanceof ContractError) return error;
  if (error instanceof CameraCallError && error.kind === 'fault' && error.fault) return cameraErrors.cameraRefused(error.fault.code, error.fault.text);
  return cameraErrors.noAnswer(error instanceof Error ? error.message : String(error));
}

export class PtzService {
  constructor(private readonly registry: CameraRegistry) {}

  /** Runs a PTZ call on the camera's main profile; a failed call drops the connection (made again next time). */
  private async run<T>(id: string, work: (connection: CameraConnection, profileToken: string) => Promise<T>): Promise<T> {
    const record = this.registry.require(id);
    if (!record.camera.hasPtz) throw cameraErrors.noPtz();
    const profileToken = record.profiles[0]?.token ?? '';
    try {
      return await work(await this.registry.connection(id), profileToken);
    } catch (error) {
      if (!(error instanceof ContractError)) this.registry.dropConnection(id);
      throw callError(error);
    }
  }

  move(id: string, velocity: PtzVelocity): Promise<void> {
    return this.run(id, (c, token) => c.continuousMove(token, velocity));
  }

  stop(id: string): Promise<void> {
    return this.run(id, (c, token) => c.stop(token));
  }

  presets(id: string): Promise<PtzPreset[]> {
    return this.run(id, (c, token) => c.presets(token));
  }

  /** Refuses a token the camera does not list (many cameras answer GotoPreset with an unknown token with success). */
  gotoPreset(id: string, preset: string): Promise<void> {
    return this.run(id, async (c, token) => {
      const presets = await c.presets(token);
      if (!presets.some((p) => p.token === preset)) throw cameraErrors.unknownPreset(preset);
      await c.gotoPreset(token, preset);
    });
  }

  setPreset(id: string, name: string): Promise<string> {
    return this.run(id, (c, token) => c.setPreset(token, name));
  }

  home(id: string): Promise<void> {
    return this.run(id, (c, token) => c.gotoHome(token));
  }
}
