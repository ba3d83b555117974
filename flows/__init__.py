"""Prefect flows of the timeline pipeline.

Importing this package sets the offline defaults before Prefect is imported anywhere:
no analytics, no update checks, a patient ephemeral-API start. Explicit environment
settings win.
"""

import os

for _name, _value in {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    "PREFECT_LOGGING_LEVEL": "INFO",
}.items():
    os.environ.setdefault(_name, _value)
