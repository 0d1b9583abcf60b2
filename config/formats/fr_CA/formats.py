# Québec French formats. Django's own fr_CA module leaves the "h" of "14 h 30"
# unescaped in SHORT_DATETIME_FORMAT, which prints the 12-hour clock instead.
DATE_FORMAT = "j F Y"
TIME_FORMAT = r"H \h i"
DATETIME_FORMAT = r"j F Y, H \h i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = r"Y-m-d H \h i"
FIRST_DAY_OF_WEEK = 0
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
