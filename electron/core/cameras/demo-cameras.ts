/**
 * The demo's cameras: simulated ONVIF devices (the same simulator as the tests) whose streams are
 * drawn by the npm-shipped ffmpeg (`testsrc:` URIs), so the wall shows moving video on a machine
 * with no cameras and no RTSP server.
 */
import { startOnvifSimulator, type OnvifSimulator } from './simulator/onvif-simulator';
import type { NewCamera } from './camera-store';

export interface DemoCamera {
  name: string;
  serial: string;
  lon: number;
  lat: number;
  heading: number;
  tags: string[];
  ptz: boolean;
}

/** Placed at the demo's places on the GSHHG island (electron/core/demo/guishan.ts), looking out to sea or along the road. */
export const DEMO_CAMERAS: readonly DemoCamera[] = [
  { name: '桂山码头东', serial: 'GS-DEMO-01', lon: 113.8248, lat: 22.1352, heading: 90, tags: ['码头', '双防'], ptz: true },
  { name: '桂山码头西', serial: 'GS-DEMO-02', lon: 113.8229, lat: 22.1349, heading: 250, tags: ['码头'], ptz: false },
  { name: '海滨栈道', serial: 'GS-DEMO-03', lon: 113.8172, lat: 22.1378, heading: 280, tags: ['海岸', '双防'], ptz: true },
  { name: '大坑湾路口', serial: 'GS-DEMO-04', lon: 113.8260, lat: 22.1290, heading: 45, tags: ['道路'], ptz: false },
  { name: '桂山渔港', serial: 'GS-DEMO-05', lon: 113.8258, lat: 22.1392, heading: 60, tags: ['码头', '双防'], ptz: true },
  { name: '镇政府广场', serial: 'GS-DEMO-06', lon: 113.8219, lat: 22.1370, heading: 0, tags: ['公共区域'], ptz: false },
];

export const DEMO_USERNAME = 'demo';
/** Not a secret: the demo simulators run on loopback for this process only. */
export const DEMO_PASSWORD = 'guishan-demo';

const DEMO_PROFILES = [
  { token: 'main', name: 'Main stream', width: 1280, height: 720, fps: 15, streamUri: 'testsrc:1280x720@15' },
  { token: 'sub', name: 'Sub stream', width: 480, height: 270, fps: 15, streamUri: 'testsrc:480x270@15' },
];

/**
 * A demo camera's row as its simulator would describe it, so the demo seed writes the cameras in
 * the same transaction as the incidents (a killed first start leaves the whole demo or none of it).
 * The address is a placeholder until the camera module starts the simulator and moves the row to
 * its port (CameraStore.moveDemo), as on every start.
 */
export function demoCameraRow(camera: DemoCamera): Omit<NewCamera, 'fields'> {
  return {
    url: `http://127.0.0.1:9/onvif/device_service?demo=${camera.serial}`,
    username: DEMO_USERNAME,
    password: DEMO_PASSWORD,
    device: { manufacturer: 'Duty Console', model: 'Demo camera', firmwareVersion: '1.0.0', serialNumber: camera.serial },
    profiles: DEMO_PROFILES.map((p) => ({ ...p, encoding: 'H264', snapshotUri: null })),
    hasPtz: camera.ptz,
    clockOffsetMs: 0,
    demo: true,
  };
}

export function startDemoSimulator(camera: DemoCamera): Promise<OnvifSimulator> {
  return startOnvifSimulator({
    name: camera.name,
    serialNumber: camera.serial,
    manufacturer: 'Duty Console',
    model: 'Demo camera',
    username: DEMO_USERNAME,
    password: DEMO_PASSWORD,
    auth: 'either',
    ptz: camera.ptz,
    profiles: DEMO_PROFILES,
  });
}
