import {
  IconBuildingCommunity,
  IconDeviceCctv,
  IconGridDots,
  IconPhoneCall,
  IconTarget,
  IconUsers,
  type IconProps,
} from '@tabler/icons-react';
import type { ComponentType } from 'react';
import type { IncidentSource } from '@shared';

const ICONS: Record<IncidentSource, ComponentType<IconProps>> = {
  camera_alarm: IconDeviceCctv,
  grid_report: IconGridDots,
  phone: IconPhoneCall,
  walk_in_petition: IconUsers,
  city_directive: IconBuildingCommunity,
  drill: IconTarget,
};

export function SourceIcon({ source, ...props }: { source: IncidentSource } & IconProps) {
  const Icon = ICONS[source] ?? IconGridDots;
  return <Icon size={14} stroke={1.6} {...props} />;
}
