import { createContext, useContext, type ReactNode } from 'react';

/**
 * Moving between views from anywhere (a map click opens an incident, an alarm opens its camera):
 * features call these instead of reaching into each other's state.
 */
export interface Navigation {
  view: string;
  go(view: string): void;
  /** Shows the incident in the incidents view's detail pane (and switches to that view); null closes it. */
  openIncident(id: string | null): void;
  /** The incident the incidents view shows, if any. */
  selectedIncidentId: string | null;
  /** Opens the new-incident form, optionally pre-filled (e.g. a location picked on the map). */
  newIncident(prefill?: NewIncidentPrefill): void;
  /** Switches to the video wall and shows the camera there (a camera clicked on the map). */
  openCamera(cameraId: string): void;
  /**
   * The latest openCamera() call, for the video wall to act on once; `seq` tells a second click on
   * the same camera from the first.
   */
  cameraRequest: CameraRequest | null;
}

export interface CameraRequest {
  cameraId: string;
  seq: number;
}

export interface NewIncidentPrefill {
  location?: { lon: number; lat: number };
  gridId?: string | null;
  category?: string;
  title?: string;
  description?: string;
  source?: 'camera_alarm' | 'grid_report' | 'phone' | 'walk_in_petition' | 'city_directive' | 'drill';
  occurredAt?: number;
}

const NavigationContext = createContext<Navigation | null>(null);

export function NavigationProvider({ value, children }: { value: Navigation; children: ReactNode }) {
  return <NavigationContext.Provider value={value}>{children}</NavigationContext.Provider>;
}

export function useNavigation(): Navigation {
  const value = useContext(NavigationContext);
  if (!value) throw new Error('useNavigation() outside <NavigationProvider>');
  return value;
}
