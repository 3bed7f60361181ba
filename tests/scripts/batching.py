"""The batching sample of make_samples.py alone (rows split by ChunkBatcherConfig, unsorted timeline)."""

import os
import runpy
import sys

here = os.path.dirname(os.path.abspath(__file__))
samples = runpy.run_path(os.path.join(here, "make_samples.py"), run_name="not_main")
samples["batching_sample"](sys.argv[1])
