import { useEffect, useRef, useState } from 'react';
import { ActionIcon, Tooltip } from '@mantine/core';
import { IconCamera, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { chooseProfile, videoStreamUrl, type Camera } from '@shared';
import { MsePlayer, type PlayerState } from './mse-player';
import { rememberRefused, transcodeFrom } from './transcode';
import { PtzControls } from './PtzControls';

/** The frame the tile shows now, as base64 JPEG (the video comes from a blob: URL, so the canvas is not tainted). */
export async function captureFrame(video: HTMLVideoElement): Promise<string | null> {
  if (!video.videoWidth) return null;
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext('2d')?.drawImage(video, 0, 0);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
  if (!blob) return null;
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export interface VideoTileProps {
  index: number;
  /** Rows and columns this tile spans (the large tile of a 1+5 or 1+7 layout). */
  span?: number;
  /** False while the view is hidden: no stream is pulled for a wall nobody sees. */
  active: boolean;
  camera: Camera | null;
  endpoint: string | null;
  onDropCamera(index: number, cameraId: string): void;
  onClear(index: number): void;
  onToggleSingle(index: number): void;
  selected: boolean;
  onSelect(index: number): void;
  /** The snapshot button: the camera, and the frame the tile shows (base64 JPEG) if any. */
  onSnapshot(camera: Camera, tileFrame: string | null): void;
}

export const CAMERA_DRAG_TYPE = 'application/x-duty-camera';

const hhmm = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** Device pixels of an element, measured on every resize (the stream choice follows it). */
function useDevicePixels(ref: React.RefObject<HTMLElement | null>): { width: number; height: number } | null {
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (!entry) return;
      const ratio = window.devicePixelRatio || 1;
      const width = Math.round(entry.contentRect.width * ratio);
      const height = Math.round(entry.contentRect.height * ratio);
      setSize((old) => (old && old.width === width && old.height === height ? old : { width, height }));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return size;
}

/** One tile of the wall: the live picture of its camera with name, state and stream overlay. */
export function VideoTile({ index, span = 1, active, camera, endpoint, onDropCamera, onClear, onToggleSingle, selected, onSelect, onSnapshot }: VideoTileProps) {
  const { t } = useTranslation();
  const tileRef = useRef<HTMLDivElement>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const size = useDevicePixels(tileRef);
  const [state, setState] = useState<PlayerState>({ state: 'connecting' });
  const [dragOver, setDragOver] = useState(false);
  const [capturing, setCapturing] = useState(false);
  const [behindMs, setBehindMs] = useState<number | null>(null);

  const snapshot = async () => {
    const video = videoRef.current;
    if (!camera) return;
    setCapturing(true);
    try {
      // The frame is taken at the click; the dialog then offers it beside the camera's own picture.
      onSnapshot(camera, video ? await captureFrame(video).catch(() => null) : null);
    } finally {
      setCapturing(false);
    }
  };

  const profile = camera && size ? chooseProfile(camera.profiles, size.width, size.height) : undefined;
  const enabled = camera?.enabled ?? false;
  // Bumped when MSE refuses the stream: the tile re-renders and asks for it transcoded to H.264.
  const [, setRefusals] = useState(0);
  const transcodedFrom = camera && profile ? transcodeFrom(camera.id, profile) : null;
  const src =
    active && camera && enabled && profile && endpoint
      ? videoStreamUrl(endpoint, { cameraId: camera.id, profileToken: profile.token, transcode: transcodedFrom !== null })
      : null;

  useEffect(() => {
    const video = videoRef.current;
    if (!src || !video || !camera || !profile) return;
    setState({ state: 'connecting' });
    const transcoding = src.endsWith('&transcode=1');
    const player = new MsePlayer(video, src, (next) => {
      if (next.state === 'unsupported' && next.mime && !transcoding) {
        rememberRefused(camera.id, profile.token, next.mime);
        setRefusals((n) => n + 1);
        return;
      }
      setState(next);
    });
    player.start();
    // camera and profile are read for their ids only, which src carries; a refusal changes src.
    // The overlay's latency: sampled once a second, rounded so the figure does not flicker.
    const timer = setInterval(() => {
      const ms = player.behindNewestMs();
      setBehindMs(ms === null ? null : Math.round(ms / 10) * 10);
    }, 1_000);
    return () => {
      clearInterval(timer);
      setBehindMs(null);
      player.stop();
    };
  }, [src]);

  const status = (() => {
    if (!camera) return null;
    if (!enabled) return { tone: 'off', text: t('cameras.wall.disabled') };
    if (!camera.profiles.length) return { tone: 'off', text: t('cameras.wall.noProfile') };
    switch (state.state) {
      case 'live':
        return { tone: 'live', text: t('cameras.wall.live') };
      case 'reconnecting':
        return {
          tone: 'bad',
          text: `${t('cameras.wall.reconnecting', { attempt: state.attempt })} · ${t('cameras.wall.offlineSince', { time: hhmm(state.offlineSince) })}`,
        };
      case 'unsupported':
        return { tone: 'bad', text: t('cameras.wall.unsupported') };
      default:
        return { tone: 'wait', text: t('cameras.wall.connecting') };
    }
  })();

  return (
    <div
      ref={tileRef}
      className={`wall-tile${dragOver ? ' wall-tile--over' : ''}${selected ? ' wall-tile--selected' : ''}`}
      data-testid={`tile-${index}`}
      style={span > 1 ? { gridRow: `span ${span}`, gridColumn: `span ${span}` } : undefined}
      data-camera={camera?.id ?? ''}
      data-profile={src ? profile?.token : ''}
      data-transcoded={src && transcodedFrom ? 'true' : 'false'}
      data-state={camera ? state.state : 'empty'}
      onClick={() => onSelect(index)}
      onDoubleClick={() => camera && onToggleSingle(index)}
      onDragOver={(event) => {
        if (!event.dataTransfer.types.includes(CAMERA_DRAG_TYPE)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
        setDragOver(true);
      }}
      onDragLeave={() => setDragOver(false)}
      onDrop={(event) => {
        setDragOver(false);
        const id = event.dataTransfer.getData(CAMERA_DRAG_TYPE);
        if (id) {
          event.preventDefault();
          onDropCamera(index, id);
        }
      }}
    >
      {camera ? (
        <>
          <video ref={videoRef} className="wall-video" muted autoPlay playsInline disablePictureInPicture />
          <div className="wall-overlay wall-overlay--top">
            <span className="wall-name">{camera.name}</span>
            {transcodedFrom && src && (
              <Tooltip label={t('cameras.wall.transcodedHint', { from: transcodedFrom })}>
                <span className="wall-transcoded" data-testid={`tile-${index}-transcoded`}>
                  {t('cameras.wall.transcoded', { from: transcodedFrom })}
                </span>
              </Tooltip>
            )}
            {profile && (
              <span className="wall-profile" title={profile.name}>
                {profile.width}×{profile.height}
              </span>
            )}
            {state.state === 'live' && (
              <Tooltip label={t('cameras.wall.snapshot')}>
                <ActionIcon
                  size="sm"
                  variant="subtle"
                  color="gray"
                  className="wall-clear"
                  loading={capturing}
                  aria-label={t('cameras.wall.snapshot')}
                  data-testid={`tile-${index}-snapshot`}
                  onClick={(event) => {
                    event.stopPropagation();
                    void snapshot();
                  }}
                  onDoubleClick={(event) => event.stopPropagation()}
                >
                  <IconCamera size={14} />
                </ActionIcon>
              </Tooltip>
            )}
            <Tooltip label={t('cameras.wall.clear')}>
              <ActionIcon
                size="sm"
                variant="subtle"
                color="gray"
                className="wall-clear"
                aria-label={t('cameras.wall.clear')}
                onClick={(event) => {
                  event.stopPropagation();
                  onClear(index);
                }}
              >
                <IconX size={14} />
              </ActionIcon>
            </Tooltip>
          </div>
          {camera.hasPtz && enabled && <PtzControls cameraId={camera.id} />}
          {status && (
            <div className={`wall-overlay wall-overlay--bottom wall-status--${status.tone}`} data-testid={`tile-${index}-status`}>
              {status.tone === 'live' && <span className="wall-live-dot" />}
              {status.text}
              {status.tone === 'live' && behindMs !== null && (
                <span className="wall-latency" title={t('cameras.wall.latencyHint')} data-testid={`tile-${index}-latency`}>
                  {t('cameras.wall.latency', { ms: behindMs })}
                </span>
              )}
            </div>
          )}
        </>
      ) : (
        <div className="wall-empty">{t('cameras.wall.empty')}</div>
      )}
    </div>
  );
}
