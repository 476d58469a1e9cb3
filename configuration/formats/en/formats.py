"""English as it is written in Belgium (and in Europe): the day before the month, a 24-hour
clock. Django's own English formats are American ("12/01/2026" is 1 December there, and
12 January to a reader here)."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
