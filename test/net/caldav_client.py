# Drives Tidepool's CalDAV with python3-caldav (Debian's package, written by others): discovery, a
# calendar made by MKCALENDAR, put/modify/delete, a time-range search and sync tokens; with the mode
# "series", a weekly series with one occurrence moved and one cancelled, read back expanded.
# Usage: caldav_client.py URL PASSWORD [series]; prints one line per step, "ok" at the end; any failure raises.
import sys
from datetime import datetime, timezone

import caldav

url, password = sys.argv[1], sys.argv[2]


def ics(uid, start, end, summary):
    return '\r\n'.join(['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//python test//EN', 'BEGIN:VEVENT', 'UID:' + uid,
                        'DTSTAMP:20260101T000000Z', 'DTSTART:' + start, 'DTEND:' + end, 'SUMMARY:' + summary,
                        'END:VEVENT', 'END:VCALENDAR', ''])


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


def series(cal):
    # Mondays 10:00 Berlin (09:00 UTC in winter) from 5 January 2032, ten of them.
    head = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//python test//EN', 'BEGIN:VEVENT', 'UID:weekly@example',
            'DTSTAMP:20260101T000000Z', 'DTSTART;TZID=Europe/Berlin:20320105T100000', 'DURATION:PT1H',
            'RRULE:FREQ=WEEKLY;COUNT=10', 'SUMMARY:Weekly']
    tail = ['END:VEVENT', 'END:VCALENDAR', '']
    event = cal.save_event('\r\n'.join(head + tail))
    print('series saved', event.url)

    # A time range in the eighth week only: the series matches by its occurrence there (RFC 4791 9.9).
    later = cal.date_search(start=utc(2032, 2, 23), end=utc(2032, 2, 24), expand=False)
    assert [str(e.vobject_instance.vevent.uid.value) for e in later] == ['weekly@example'], later

    # The second Monday moved to 11:00 and retitled, the third cancelled: as apps send it, one resource.
    event = cal.event_by_uid('weekly@example')
    event.data = '\r\n'.join(head + ['EXDATE;TZID=Europe/Berlin:20320119T100000', 'END:VEVENT', 'BEGIN:VEVENT', 'UID:weekly@example',
                                     'DTSTAMP:20260101T000000Z', 'RECURRENCE-ID;TZID=Europe/Berlin:20320112T100000',
                                     'DTSTART;TZID=Europe/Berlin:20320112T110000', 'DURATION:PT1H', 'SUMMARY:Weekly (moved)'] + tail)
    event.save()
    text = cal.event_by_uid('weekly@example').data
    for part in ['RRULE:FREQ=WEEKLY;COUNT=10', 'EXDATE;TZID=Europe/Berlin:20320119T100000', 'RECURRENCE-ID;TZID=Europe/Berlin:20320112T100000', 'SUMMARY:Weekly (moved)']:
        assert part in text, (part, text)
    print('override and EXDATE stored')

    # Expanded by the server (calendar-data with expand): three instances in the first four weeks.
    found = cal.search(start=utc(2032, 1, 1), end=utc(2032, 1, 31), event=True, expand=True)
    instances = sorted((e.vobject_instance.vevent.dtstart.value.astimezone(timezone.utc), str(e.vobject_instance.vevent.summary.value)) for e in found)
    assert instances == [(utc(2032, 1, 5, 9), 'Weekly'), (utc(2032, 1, 12, 10), 'Weekly (moved)'), (utc(2032, 1, 26, 9), 'Weekly')], instances
    print('expanded', instances)

    cal.event_by_uid('weekly@example').delete()
    assert cal.date_search(start=utc(2032, 1, 1), end=utc(2033, 1, 1), expand=False) == []
    print('series deleted')


client = caldav.DAVClient(url=url, username='anyone', password=password)
principal = client.principal()
if len(sys.argv) > 3 and sys.argv[3] == 'series':
    series([c for c in principal.calendars() if c.name == 'Team'][0])
    print('ok')
    sys.exit(0)
names = [c.name for c in principal.calendars()]
assert 'Team' in names, names
print('discovered', names)

cal = principal.make_calendar(name='From Python', cal_id='from-python')
assert 'From Python' in [c.name for c in principal.calendars()]
print('made calendar', cal.url)

cal.save_event(ics('py-1@example', '20320105T100000Z', '20320105T110000Z', 'Standup'))
cal.save_event(ics('py-2@example', '20320301T100000Z', '20320301T110000Z', 'Review'))
found = cal.date_search(start=utc(2032, 1, 1), end=utc(2032, 2, 1), expand=False)
summaries = [str(e.vobject_instance.vevent.summary.value) for e in found]
assert summaries == ['Standup'], summaries
print('time-range search', summaries)

synced = cal.objects_by_sync_token(load_objects=True)
assert len(list(synced)) == 2, list(synced)
token = synced.sync_token
print('first sync', token)

event = cal.event_by_uid('py-1@example')
event.data = ics('py-1@example', '20320105T120000Z', '20320105T130000Z', 'Standup (moved)')
event.save()
cal.event_by_uid('py-2@example').delete()

updated, deleted = synced.sync()
assert [str(e.url).rsplit('/', 1)[-1] for e in updated] == [str(event.url).rsplit('/', 1)[-1]], updated
assert len(deleted) == 1, deleted
again = cal.event_by_uid('py-1@example')
assert str(again.vobject_instance.vevent.summary.value) == 'Standup (moved)'
assert again.vobject_instance.vevent.dtstart.value == utc(2032, 1, 5, 12)
print('incremental sync', len(updated), 'updated', len(deleted), 'deleted')
print('ok')
