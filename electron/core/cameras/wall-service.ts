/** Each window's wall: its layout and which camera each tile shows (a setting per window). */
import { ContractError, WallLayout } from '@shared';
import type { CoreContext } from '../context';
import { cameraErrors } from './errors';
import type { CameraRegistry } from './registry';

const DEFAULT_WALL: WallLayout = { size: 4, tiles: [] };

export class WallService {
  constructor(
    private readonly ctx: CoreContext,
    private readonly registry: CameraRegistry,
  ) {}

  get(window: string): WallLayout {
    const raw = this.ctx.settings.get(`wall.${window}`);
    const parsed = raw ? WallLayout.safeParse(JSON.parse(raw)) : null;
    const layout = parsed?.success ? parsed.data : DEFAULT_WALL;
    // A camera removed since the layout was saved leaves its tile empty.
    return { ...layout, tiles: layout.tiles.map((id) => (id && this.registry.store.get(id) ? id : null)) };
  }

  save(window: string, layout: WallLayout): WallLayout {
    const issues = layout.tiles.flatMap((id, i) => (id && !this.registry.store.get(id) ? [cameraErrors.unknownCameraIssue(`layout.tiles.${i}`)] : []));
    if (issues.length) throw ContractError.validation('wall refers to unknown cameras', issues);
    this.ctx.settings.set(`wall.${window}`, JSON.stringify(layout));
    return layout;
  }
}
