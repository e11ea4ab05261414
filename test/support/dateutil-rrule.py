# The second implementation the rule engine is checked against: python-dateutil's rrule.
# stdin: a JSON list of {dtstart: "YYYYMMDDTHHMMSS", rrule: "FREQ=…", end: "YYYYMMDDTHHMMSS"};
# stdout: a JSON list, per case, of the instances up to `end` (floating times, basic format).
import json
import sys
import warnings
from datetime import datetime
from dateutil.rrule import rrulestr

FMT = '%Y%m%dT%H%M%S'
out = []
for case in json.load(sys.stdin):
    start = datetime.strptime(case['dtstart'], FMT)
    end = datetime.strptime(case['end'], FMT)
    # UNTIL bounds a rule that matches nothing, which dateutil would otherwise follow to year 9999;
    # with COUNT it is not RFC 5545 (dateutil warns) but means what is needed here: both limits.
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        rule = rrulestr(case['rrule'], dtstart=start).replace(until=end)
    out.append([instance.strftime(FMT) for instance in rule])
json.dump(out, sys.stdout)
