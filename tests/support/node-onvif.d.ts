// node-onvif ships no types; only what the interoperability test uses.
declare module 'node-onvif' {
  interface Profile {
    token: string;
    name: string;
    video: { encoder: { resolution: { width: number; height: number }; encoding: string } };
    stream: { rtsp: string };
    snapshot: string;
  }
  interface OnvifDevice {
    init(): Promise<{ Manufacturer: string; Model: string; SerialNumber: string }>;
    getCurrentProfile(): Profile;
    getProfileList(): Profile[];
    ptzMove(params: { speed: { x: number; y: number; z: number }; timeout?: number }): Promise<void>;
    ptzStop(): Promise<void>;
  }
  const onvif: { OnvifDevice: new (options: { xaddr: string; user?: string; pass?: string }) => OnvifDevice };
  export default onvif;
}
