"""Forward Python `logging` records with `LoggingHandler`, under rerun-sdk 0.41 or under rerender.

Usage:  python logging_handler.py OUT.rrd rerun|rerender
"""

import importlib
import logging
import sys

out, sdk = sys.argv[1], sys.argv[2]
rr = importlib.import_module("rerun" if sdk == "rerun" else "rerender")

rr.init("logging_handler", recording_id="fixed")
rr.save(out)

# Everything the root logger sees goes to entities under `logs/` (the module's name: `logs/logging_handler`).
root = logging.getLogger()
root.setLevel(logging.DEBUG)
root.addHandler(rr.LoggingHandler("logs"))
logging.addLevelName(25, "NOTICE")  # a custom level: logged with its name

for frame in range(3):
    rr.set_time("frame", sequence=frame)
    logging.debug("debug %d", frame)
    logging.info("info at frame %s", frame)
    logging.warning("careful")
    logging.error("bad: %r", {"frame": frame})
    logging.critical("very bad")
    logging.log(25, "notice %d", frame)

# Without a prefix, the entity is the module's own path.
unprefixed = logging.getLogger("plain")
unprefixed.propagate = False
unprefixed.addHandler(rr.LoggingHandler())
unprefixed.warning("no prefix")
