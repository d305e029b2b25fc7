"""Daily job: apply the retention periods (binome/privacy/retention.py)."""

import logging

from binome.core.schedules import Periodic

logger = logging.getLogger(__name__)

SCHEDULES = [
    Periodic(
        "binome.privacy.tasks.apply_retention", minutes=24 * 60, name="binome:privacy-retention"
    )
]


def apply_retention():
    from binome.privacy.retention import apply_retention as run

    report = run()
    logger.info("Retention applied: %s", report)
    return report
