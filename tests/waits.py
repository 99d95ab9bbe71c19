"""How long a test waits for the window or a worker before it gives up.

Sized for a loaded two-core CI machine running two test processes, where a transcript read
in the background or a short export can take tens of seconds; a wait returns as soon as its
condition holds, so a generous bound costs nothing when things are fast. A test that is
really stuck is stopped by pytest-timeout (``[tool.pytest.ini_options]`` in pyproject.toml).
"""

UI_WAIT_MS = 60_000
