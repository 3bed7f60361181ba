"""Render jobs: recordings to media files. The modules are imported one by one (`render_job` pulls in
GL, `executors` only the standard library), so that importing one does not import them all."""
