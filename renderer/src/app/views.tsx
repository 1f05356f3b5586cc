import type { ComponentType } from 'react';
import type { Permission } from '@shared';
import { IconDatabaseExport, IconShieldCheck, IconUsers } from '@tabler/icons-react';
import { StaffView } from '../features/people/StaffView';
import { AuditView } from '../features/people/AuditView';
import { BackupsView } from '../features/recovery/BackupsView';
import { IconAddressBook, IconBuildingHospital, IconChartBar, IconListDetails, IconMap2, IconUrgent, IconVideo, IconBuildingBroadcastTower, type Icon } from '@tabler/icons-react';
import { IncidentsView } from '../features/incidents/IncidentsView';
import { DirectoryView } from '../features/workflows/DirectoryView';
import { QuarantineBoardView } from '../features/workflows/QuarantineBoardView';
import { StatsView } from '../features/workflows/StatsView';
import { SupervisionView } from '../features/workflows/SupervisionView';
import { MapView } from '../features/map/MapView';
import { CamerasView } from '../features/cameras/CamerasView';
import { LinkView } from '../features/uplink/LinkView';

export interface ViewDefinition {
  /** Stable id: navigation, persistence, test ids (`nav-<id>`, `view-<id>`). */
  id: string;
  /** i18n key of the navigation label. */
  labelKey: string;
  icon: Icon;
  /** Mounted on first visit and kept (hidden) afterwards, so a view keeps its state; `active` says whether it shows. */
  component: ComponentType<{ active: boolean }>;
  /** Shown only to people holding this permission. */
  permission?: Permission;
}

/** The console's views, in navigation order; the first is the one shown at start. Alt+1…9 switch. */
export const VIEWS: readonly ViewDefinition[] = [
  { id: 'incidents', labelKey: 'views.incidents', icon: IconListDetails, component: IncidentsView },
  { id: 'map', labelKey: 'map.view', icon: IconMap2, component: MapView },
  { id: 'cameras', labelKey: 'cameras.view', icon: IconVideo, component: CamerasView },
  { id: 'supervision', labelKey: 'wf.views.supervision', icon: IconUrgent, component: SupervisionView },
  { id: 'quarantine', labelKey: 'wf.views.board', icon: IconBuildingHospital, component: QuarantineBoardView },
  { id: 'directory', labelKey: 'wf.views.directory', icon: IconAddressBook, component: DirectoryView },
  { id: 'stats', labelKey: 'wf.views.stats', icon: IconChartBar, component: StatsView },
  { id: 'link', labelKey: 'link.view', icon: IconBuildingBroadcastTower, component: LinkView },
  { id: 'audit', labelKey: 'people.audit.view', icon: IconShieldCheck, component: AuditView, permission: 'audit.view' },
  { id: 'staff', labelKey: 'people.staff.view', icon: IconUsers, component: StaffView, permission: 'staff.manage' },
  { id: 'backups', labelKey: 'backups.view', icon: IconDatabaseExport, component: BackupsView, permission: 'settings.manage' },
];
