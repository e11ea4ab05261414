# Drives Tidepool's CalDAV with python3-caldav (Debian's package, written by others): discovery, a
# calendar made by MKCALENDAR, put/modify/delete, a time-range search and sync tokens.
# Usage: caldav_client.py URL PASSWORD; prints one line per step, "ok" at the end; any failure raises.
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


client = caldav.DAVClient(url=url, username='anyone', password=password)
principal = client.principal()
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
