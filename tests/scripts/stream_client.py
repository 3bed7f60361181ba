"""A logging script for the live-server tests and benchmark, under rerender or the real rerun-sdk 0.41.

    python stream_client.py SDK TARGET [--tee FILE] [--rows N] [--points P] [--seed S] [--id ID] [--hold]

SDK is `rerender` or `rerun`. TARGET is an .rrd path (rr.save) or a rerun+http:// URL (rr.connect_grpc);
the same arguments log the same data either way, so a streamed recording has a direct-to-file twin.
--tee FILE streams to the URL and writes FILE at once (rr.set_sinks(FileSink, GrpcSink)).
--hold stops before the end (after printing `holding`) and waits to be killed, as a client that dies
mid-stream does.
"""

import argparse
import time

import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("sdk", choices=["rerender", "rerun"])
parser.add_argument("target")
parser.add_argument("--rows", type=int, default=20)
parser.add_argument("--points", type=int, default=500)
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--id", default="stream")
parser.add_argument("--tee")
parser.add_argument("--hold", action="store_true")
args = parser.parse_args()

if args.sdk == "rerun":
    import rerun as rr
    import rerun.blueprint as rrb
else:
    import rerender as rr
    import rerender.blueprint as rrb

rr.init("live_test", recording_id=args.id)
blueprint = rrb.Spatial3DView(origin="/", name="scene")
if args.tee:
    rr.set_sinks(rr.FileSink(args.tee), rr.GrpcSink(args.target), default_blueprint=blueprint)
elif args.target.startswith("rerun+http"):
    rr.connect_grpc(args.target, default_blueprint=blueprint)
else:
    rr.save(args.target, default_blueprint=blueprint)

rng = np.random.default_rng(args.seed)
rr.log("world", rr.ViewCoordinates.RIGHT_HAND_Z_UP, static=True)
for i in range(args.rows):
    rr.set_time("frame", sequence=i)
    positions = rng.random((args.points, 3), dtype=np.float32)
    colors = rng.integers(0, 255, (args.points, 3), dtype=np.uint8)
    rr.log("world/points", rr.Points3D(positions, colors=colors, radii=0.01))
    rr.log("world/box", rr.Boxes3D(half_sizes=[[1.0, 2.0, float(i)]]))
    if args.hold and i == args.rows // 2:
        rr.get_global_data_recording().flush()
        print("holding", flush=True)
        time.sleep(3600)
