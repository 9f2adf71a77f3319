"""The first workflow to run on a new deployment: it proves storage, Workload Identity and the database.

    pip install flytekit
    pyflyte --config ~/.flyte/<hostname>.yaml run --remote -p flytesnacks -d development examples/hello_flyte.py hello_flyte --name Flyte

(the stack's `first_run_command` output: its first Flyte project and domain, flytesnacks and
development by default, and the CLI config `flyte_config_command` writes).

What each step proves when the execution succeeds (the console shows "Hello, Flyte!"):
- `pyflyte run --remote` uploads this file through a URL that flyteadmin signs: the bucket,
  flyteadmin's URL-signing grant and the IAM Credentials API work.
- `write_greeting` runs in a pod of the `<project>-<domain>` namespace and uploads a
  file to the raw-data bucket: the namespace's `default` service account reaches GCS
  through Workload Identity (no keys).
- `read_greeting` runs in another pod and downloads that file: data moves between tasks
  through the bucket, and flytepropeller reads and writes the tasks' inputs and outputs.
- The execution is listed afterwards (console, `pyflyte`/`flytectl get execution`):
  flyteadmin stored it in Cloud SQL.
"""

from pathlib import Path

import flytekit
from flytekit import task, workflow
from flytekit.types.file import FlyteFile


@task
def write_greeting(name: str) -> FlyteFile:
    path = Path(flytekit.current_context().working_directory) / "greeting.txt"
    path.write_text(f"Hello, {name}!")
    return FlyteFile(str(path))  # uploaded to the raw-data bucket when the task returns


@task
def read_greeting(greeting: FlyteFile) -> str:
    return Path(greeting.download()).read_text()  # downloaded from the bucket


@workflow
def hello_flyte(name: str = "Flyte") -> str:
    return read_greeting(greeting=write_greeting(name=name))
