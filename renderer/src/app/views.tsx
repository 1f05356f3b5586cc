import type { ComponentType } from 'react';
import { IconListDetails, IconVideo, type Icon } from '@tabler/icons-react';
import { IncidentsView } from '../features/incidents/IncidentsView';
import { CamerasView } from '../features/cameras/CamerasView';

export interface ViewDefinition {
  /** Stable id: navigation, persistence, test ids (`nav-<id>`, `view-<id>`). */
  id: string;
  /** i18n key of the navigation label. */
  labelKey: string;
  icon: Icon;
  /** Mounted on first visit and kept (hidden) afterwards, so a view keeps its state; `active` says whether it shows. */
  component: ComponentType<{ active: boolean }>;
}

/** The console's views, in navigation order; the first is the one shown at start. Alt+1…9 switch. */
export const VIEWS: readonly ViewDefinition[] = [
  { id: 'incidents', labelKey: 'views.incidents', icon: IconListDetails, component: IncidentsView },
  { id: 'cameras', labelKey: 'cameras.view', icon: IconVideo, component: CamerasView },
];
