#!/usr/bin/python3
"""Live H.264 over RTSP from GStreamer's RTSP server, for the camera tests.

Each mount is a test pattern with the wall clock painted into it (so latency can be read back from
a presented frame), encoded with a 1 s GOP. Run with /usr/bin/python3 (Debian's, which has gi).

  rtsp_server.py --port 8554 --mount main=1280x720@25 --mount sub=640x360@25 --mount hevc=640x360@15/h265
A mount is H.264 unless it ends in /h265 (x265, as many Hikvision/Dahua main streams are).
Prints "ready" on stdout once it listens.
"""
import argparse
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


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
                f"videoconvert ! video/x-raw,format=I420 ! x265enc tune=zerolatency speed-preset=ultrafast key-int-max={fps} bitrate=500 "
                f"! video/x-h265,profile=main ! rtph265pay name=pay0 pt=96 config-interval=1"
            )
        else:
            encode = (
                f"x264enc tune=zerolatency speed-preset=ultrafast key-int-max={fps} bitrate=800 "
                f"! video/x-h264,profile=baseline ! rtph264pay name=pay0 pt=96 config-interval=1"
            )
        launch = (
            f"( videotestsrc is-live=true pattern=ball ! video/x-raw,width={width},height={height},framerate={fps}/1 "
            f"! clockoverlay time-format=\"%H:%M:%S\" font-desc=\"Sans 24\" "
            f"! {encode} )"
        )
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(launch)
        factory.set_shared(True)
        mounts.add_factory(f"/{name}", factory)

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
