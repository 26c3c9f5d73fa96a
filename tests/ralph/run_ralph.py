"""Runs Ralph (the LRS the integration tests send statements to) with its own command line,
on its file-system backend, as `python run_ralph.py runserver -b fs -h 127.0.0.1 -p PORT`.

Ralph 5's file-system LRS backend writes each POSTed batch with the data backend's default
operation, `create`, which refuses to write once the statements file exists: the first batch is
stored and every later one fails with 500 ("already exists and overwrite is not allowed"). Its
data backend can append, which is what an LRS receiving statements over time needs, so this
makes `append` the LRS backend's default and changes nothing else. The patch is at the top
level because uvicorn serves from a spawned process, which imports this file again (without
running the command line). (Ralph's Elasticsearch,
MongoDB and ClickHouse backends, which institutions run, do not have this limit.)
"""

import sys

from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if __name__ == "__main__":
    from ralph.cli import cli

    sys.exit(cli())
