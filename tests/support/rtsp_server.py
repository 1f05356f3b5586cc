#!/usr/bin/python3
"""Live H.264 (or H.265) over RTSP from GStreamer's RTSP server, for the camera tests.

Each mount is a test pattern with the wall clock painted into it, encoded with a 1 s GOP: as text
for people, and as a machine-readable band across the top for the latency benchmark (see
clock_code_pixbuf). Run with /usr/bin/python3 (Debian's, which has gi).

  rtsp_server.py --port 8554 --mount main=1280x720@25 --mount sub=640x360@25 --mount hevc=640x360@15/h265
A mount is H.264 unless it ends in /h265 (x265, as many Hikvision/Dahua main streams are).
Prints "ready" on stdout once it listens.
"""
import argparse
import signal
import sys
import time

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstVideo", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer, GstVideo  # noqa: E402

try:
    gi.require_version("GdkPixbuf", "2.0")
    from gi.repository import GdkPixbuf  # noqa: E402
except (ImportError, ValueError):  # no GdkPixbuf typelib: the picture has no clock code
    GdkPixbuf = None

CLOCK_CODE_BITS = 32
CLOCK_CODE_BLOCKS_PER_WIDTH = 40


def clock_code_pixbuf(width):
    """The wall clock (Unix epoch ms, low 32 bits) as 32 square black/white blocks, most significant
    first, white = 1, each width // 40 pixels, and under them the same blocks inverted so that a reader
    can tell a clean read from a smeared one. bench/clock-code.ts reads it back from presented frames."""
    value = int(time.time() * 1000) & 0xFFFFFFFF
    block = width // CLOCK_CODE_BLOCKS_PER_WIDTH
    white, black = b"\xff" * 3 * block, b"\x00" * 3 * block
    bits = [(value >> (CLOCK_CODE_BITS - 1 - i)) & 1 for i in range(CLOCK_CODE_BITS)]
    top = b"".join(white if bit else black for bit in bits)
    bottom = b"".join(black if bit else white for bit in bits)
    data = top * block + bottom * block
    return GdkPixbuf.Pixbuf.new_from_bytes(GLib.Bytes.new(data), GdkPixbuf.Colorspace.RGB, False, 8, len(top) // 3, 2 * block, len(top))


def not_seekable(_pad, info):
    # A new seeking query says "not seekable" until answered: answering it unchanged is enough.
    return Gst.PadProbeReturn.HANDLED if info.get_query().type == Gst.QueryType.SEEKING else Gst.PadProbeReturn.OK


def on_pre_play_request(_client, ctx):
    """A new client starts at a keyframe at once (as many cameras do for a new session), not up to a GOP later."""
    encoder = ctx.media.get_element().get_by_name("enc") if ctx.media is not None else None
    if encoder is not None:
        encoder.get_static_pad("src").send_event(GstVideo.video_event_new_upstream_force_key_unit(Gst.CLOCK_TIME_NONE, True, 0))
    return GstRtsp.RTSPStatusCode.OK


def on_media_configure(_factory, media, width):
    # A live camera, not a file: a PLAY joins the shared stream as it runs. A seekable pipeline has
    # the server seek it back to 0 at every PLAY (ffmpeg always asks for npt=0.000-), which
    # restarts the timestamps of every client already playing; ffmpeg then holds that client's
    # frames at its last timestamp plus one tick until the new ones pass it (frames a player
    # decodes but never shows, for as long as the stream had run).
    media.get_element().get_by_name("pay0").get_static_pad("src").add_probe(Gst.PadProbeType.QUERY_UPSTREAM, not_seekable)
    painter = media.get_element().get_by_name("clockcode")
    if painter is None:
        return

    # Set the picture just before the overlay blends this frame, so it carries the time it was made.
    def paint(_pad, _info):
        painter.set_property("pixbuf", clock_code_pixbuf(width))
        return Gst.PadProbeReturn.OK

    painter.get_static_pad("sink").add_probe(Gst.PadProbeType.BUFFER, paint)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8554)
    parser.add_argument("--mount", action="append", default=[], help="name=WIDTHxHEIGHT@FPS[/h265]")
    args = parser.parse_args()

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    mounts = server.get_mount_points()
    for spec in args.mount or ["main=1280x720@25", "sub=640x360@25"]:
        name, rest = spec.split("=", 1)
        rest, _, codec = rest.partition("/")
        size, fps = rest.split("@")
        width, height = size.split("x")
        if codec == "h265":
            encode = (
                f"videoconvert ! video/x-raw,format=I420 ! x265enc name=enc tune=zerolatency speed-preset=ultrafast key-int-max={fps} bitrate=500 "
                f"! video/x-h265,profile=main ! rtph265pay name=pay0 pt=96 config-interval=1"
            )
        else:
            encode = (
                f"x264enc name=enc tune=zerolatency speed-preset=ultrafast key-int-max={fps} bitrate=800 "
                f"! video/x-h264,profile=baseline ! rtph264pay name=pay0 pt=96 config-interval=1"
            )
        launch = (
            f"( videotestsrc is-live=true pattern=ball ! video/x-raw,width={width},height={height},framerate={fps}/1 "
            + ("! gdkpixbufoverlay name=clockcode " if GdkPixbuf else "")
            + f"! clockoverlay time-format=\"%H:%M:%S\" font-desc=\"Sans 24\" valignment=bottom "
            f"! {encode} )"
        )
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(launch)
        factory.set_shared(True)
        factory.connect("media-configure", on_media_configure, int(width))
        mounts.add_factory(f"/{name}", factory)

    server.connect("client-connected", lambda _server, client: client.connect("pre-play-request", on_pre_play_request))
    if server.attach(None) == 0:
        print(f"cannot listen on port {args.port}", file=sys.stderr)
        sys.exit(1)
    loop = GLib.MainLoop()
    signal.signal(signal.SIGTERM, lambda *_: loop.quit())
    signal.signal(signal.SIGINT, lambda *_: loop.quit())
    print("ready", flush=True)
    loop.run()


if __name__ == "__main__":
    main()
