from binome.core.schedules import Periodic

SCHEDULES = [Periodic("binome.messaging.services.retry_due", minutes=2, name="binome:sms-retry")]
